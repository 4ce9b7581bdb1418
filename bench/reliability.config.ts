import { mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../vitest.shared.ts';

/**
 * `npm run test:reliability`: the checks in reliability/ against each service's bundle, one file at a
 * time (each one loads the machine). Not part of the bench project's own `test` target.
 */
export default mergeConfig(sharedVitestConfig('reliability', { tests: ['reliability/**/*.check.ts'], sources: [] }), {
  test: {
    root: import.meta.dirname,
    globalSetup: ['reliability/build-bundles.ts'],
    fileParallelism: false,
    // autocannon run inside a worker thread takes itself for one of its own workers and returns raw histograms.
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    coverage: { enabled: false },
  },
});
