import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const reportsDir = fileURLToPath(new URL('reports/', import.meta.url));
const inCi = process.env.CI === 'true';

interface Layout {
  /** Test files, relative to the project. */
  tests?: string[];
  /** Files whose coverage counts. */
  sources?: string[];
}

/**
 * What every project's vitest.config.ts merges: the same reporters and coverage everywhere, with JUnit
 * and Cobertura files (for GitLab's test and coverage reports) written to reports/ only in CI.
 */
export function sharedVitestConfig(projectName: string, { tests = ['test/**/*.test.ts'], sources = ['src/**/*.ts'] }: Layout = {}) {
  return defineConfig({
    test: {
      name: projectName,
      include: tests,
      environment: 'node',
      testTimeout: 20_000,
      reporters: inCi ? ['default', 'junit'] : ['default'],
      outputFile: { junit: `${reportsDir}junit/${projectName}.xml` },
      coverage: {
        provider: 'v8',
        enabled: inCi,
        include: sources,
        reporter: ['text-summary', 'cobertura'],
        reportsDirectory: `${reportsDir}coverage/${projectName}`,
      },
    },
  });
}
