import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * What `nx affected` picks in this workspace for a one-file change, as the pipeline's jobs ask it. The tools
 * project's tests read every app's Dockerfile, .dockerignore and project.json (docker/dockerfile.test.ts,
 * docker/lib/services.test.ts): the project's test inputs name those files, which is how Nx knows a change to them
 * touches tools even though tools owns none of them. The docs project's test inputs name README.md the same way.
 */
const workspace = fileURLToPath(new URL('../..', import.meta.url));
const changedFiles = [
  'apps/fibonacci/Dockerfile',
  'apps/weather/.dockerignore',
  'apps/fibonacci/project.json',
  'libs/service-kit/src/index.ts',
  'README.md',
  'apps/fibonacci/src/app.ts',
];

let affected: Record<string, string[]>;
beforeAll(async () => {
  const script = fileURLToPath(new URL('testing/affected-projects.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script, ...changedFiles], { cwd: workspace, env: { ...process.env, NX_DAEMON: 'false' } });
  affected = JSON.parse(stdout) as Record<string, string[]>;
});

const affectedBy = (file: string) => affected[file];

describe('the projects a one-file change affects', () => {
  it.each(['apps/fibonacci/Dockerfile', 'apps/weather/.dockerignore', 'apps/fibonacci/project.json'])('%s: the app and tools, whose tests read it', (file) => {
    const app = file.split('/')[1];
    expect(affectedBy(file)).toEqual(expect.arrayContaining([app, 'tools']));
  });

  it('shared library code: every service that uses it', () => {
    expect(affectedBy('libs/service-kit/src/index.ts')).toEqual(expect.arrayContaining(['service-kit', 'fibonacci', 'weather']));
  });

  it('README.md: the docs project, whose test checks its links, and no service', () => {
    const projects = affectedBy('README.md');
    expect(projects).toContain('docs');
    for (const project of ['tools', 'fibonacci', 'weather']) expect(projects).not.toContain(project);
  });

  it("an app's own code: that app, not tools, the other app or the shared library", () => {
    const projects = affectedBy('apps/fibonacci/src/app.ts');
    expect(projects).toContain('fibonacci');
    for (const project of ['tools', 'weather', 'service-kit', 'templates', 'e2e']) expect(projects).not.toContain(project);
  });
});
