import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const reportsDir = fileURLToPath(new URL('reports/', import.meta.url));
const inCi = process.env.CI === 'true';
const hangGuardMs = 10 * 60_000;

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
      // One worker thread runs a project's files one after another, sharing loaded modules: a fresh process and
      // module graph per file cost a third of the suite's CPU on a 2-core runner. A suite that must own its
      // process (yeoman-test changes the working directory) sets `pool: 'forks'`.
      pool: 'threads',
      isolate: false,
      // Guards against a hang, not speed limits: on a shared runner with other jobs beside it, a test that starts
      // processes or servers takes many times what it takes on an idle machine, and a test waits for events.
      testTimeout: hangGuardMs,
      hookTimeout: hangGuardMs,
      teardownTimeout: hangGuardMs,
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
