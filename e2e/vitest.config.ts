import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../vitest.shared.ts';

/**
 * The end-to-end suite (`npm run test:e2e`, the `e2e` target): real Docker engine, real registry. Not part
 * of `npm test`: nx.json gives this project's Vitest target the name e2e instead of test.
 */
export default mergeConfig(
  sharedVitestConfig('e2e', { tests: ['**/*.e2e.ts'], sources: [] }),
  defineConfig({
    test: {
      globalSetup: ['support/global-setup.ts'],
      // Image builds, pushes and pulls on two shared cores: generous limits, and one file at a time.
      testTimeout: 5 * 60_000,
      hookTimeout: 5 * 60_000,
      fileParallelism: false,
      coverage: { enabled: false },
    },
  }),
);
