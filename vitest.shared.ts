import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const reportsDir = fileURLToPath(new URL('reports/', import.meta.url));

const inCi = process.env['CI'] === 'true';

/**
 * What every project's vitest.config.ts merges: the same reporters and coverage everywhere, with JUnit
 * and Cobertura files (for GitLab's test and coverage reports) written only in CI.
 */
export function sharedVitestConfig(projectName: string, include = ['test/**/*.test.ts', 'src/**/*.test.ts']) {
  return defineConfig({
    test: {
      name: projectName,
      include,
      environment: 'node',
      testTimeout: 20_000,
      reporters: inCi ? ['default', 'junit'] : ['default'],
      outputFile: { junit: `${reportsDir}junit/${projectName}.xml` },
      coverage: {
        provider: 'v8',
        enabled: inCi,
        include: ['src/**/*.ts'],
        reporter: ['text-summary', 'cobertura'],
        reportsDirectory: `${reportsDir}coverage/${projectName}`,
      },
    },
  });
}
