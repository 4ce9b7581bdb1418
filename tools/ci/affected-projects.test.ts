import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nx } from './nx.ts';

/**
 * What `nx affected` picks in this workspace for a one-file change, as the pipeline's jobs ask it. The tools
 * project's tests read every app's Dockerfile, .dockerignore and project.json (docker/dockerfile.test.ts,
 * docker/lib/services.test.ts): the project's test inputs name those files, which is how Nx knows a change to them
 * touches tools even though tools owns none of them. The docs project's test inputs name README.md the same way.
 */
const workspace = fileURLToPath(new URL('../..', import.meta.url));

async function affectedBy(file: string): Promise<string[]> {
  return JSON.parse(await nx(['show', 'projects', '--affected', `--files=${file}`, '--json'], { capture: true, cwd: workspace })) as string[];
}

describe('the projects a one-file change affects', () => {
  it.each(['apps/fibonacci/Dockerfile', 'apps/weather/.dockerignore', 'apps/fibonacci/project.json'])('%s: the app and tools, whose tests read it', async (file) => {
    const app = file.split('/')[1];
    expect(await affectedBy(file)).toEqual(expect.arrayContaining([app, 'tools']));
  });

  it('shared library code: every service that uses it', async () => {
    expect(await affectedBy('libs/service-kit/src/index.ts')).toEqual(expect.arrayContaining(['service-kit', 'fibonacci', 'weather']));
  });

  it('README.md: the docs project, whose test checks its links, and no service', async () => {
    const affected = await affectedBy('README.md');
    expect(affected).toContain('docs');
    for (const project of ['tools', 'fibonacci', 'weather']) expect(affected).not.toContain(project);
  });

  it("an app's own code: that app, not tools, the other app or the shared library", async () => {
    const affected = await affectedBy('apps/fibonacci/src/app.ts');
    expect(affected).toContain('fibonacci');
    for (const project of ['tools', 'weather', 'service-kit', 'templates', 'e2e']) expect(affected).not.toContain(project);
  });
});
