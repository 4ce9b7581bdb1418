import { defineConfig } from 'vitest/config';

/**
 * The pipeline suite (`npm run test:pipeline`): gitlab-ci-local runs the root pipeline's jobs for real for each
 * kind of change, in throwaway git copies of this workspace, and the child pipeline's image jobs on the local
 * Docker engine. Not part of `npm test`: each scenario runs Nx jobs, and it needs Docker (.ci/provision-docker.sh).
 */
export default defineConfig({
  test: {
    name: 'pipeline',
    root: new URL('../../../', import.meta.url).pathname,
    include: ['tools/ci/e2e/**/*.e2e.ts'],
    // A hang guard, not a speed limit: the scenarios share two cores with whatever else the runner does.
    testTimeout: 20 * 60_000,
    hookTimeout: 20 * 60_000,
    reporters: process.env.CI === 'true' ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'reports/junit/pipeline.xml' },
  },
});
