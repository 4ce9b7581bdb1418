import { defineConfig } from 'vitest/config';

/**
 * The deploy end-to-end suite (`npm run test:e2e:deploy`): real Docker engine, registry, sshd, nginx and
 * ansible on loopback. Its files run one after the other, sharing what global-setup.ts starts.
 */
export default defineConfig({
  test: {
    name: 'deploy-e2e',
    root: new URL('../../../', import.meta.url).pathname,
    include: ['tools/deploy/e2e/**/*.e2e.ts'],
    globalSetup: ['tools/deploy/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
    reporters: process.env.CI === 'true' ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'reports/junit/deploy-e2e.xml' },
  },
});
