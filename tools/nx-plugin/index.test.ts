import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodes } from './index.ts';

describe('the workspace Nx plugin', () => {
  let workspaceRoot: string;
  beforeEach(async () => {
    workspaceRoot = await mkdtemp(join(tmpdir(), 'nx-plugin-'));
  });
  afterEach(() => rm(workspaceRoot, { recursive: true, force: true }));

  async function files(...paths: string[]) {
    for (const path of paths) {
      await mkdir(dirname(join(workspaceRoot, path)), { recursive: true });
      await writeFile(join(workspaceRoot, path), '{}');
    }
  }

  async function inferredTargets(projectFile: string) {
    const [, infer] = createNodes;
    const context = { workspaceRoot, nxJsonConfiguration: {} };
    const [[, result]] = (await infer([projectFile], undefined, context)) as [[string, { projects: Record<string, { targets: object }> }]];
    return result.projects[dirname(projectFile)]?.targets;
  }

  it('gives a service typecheck, build and serve', async () => {
    await files('apps/api/project.json', 'apps/api/tsconfig.json', 'apps/api/src/main.ts');
    const targets = await inferredTargets('apps/api/project.json');
    expect(Object.keys(targets ?? {})).toEqual(['typecheck', 'build', 'serve']);
    expect(targets).toMatchObject({
      build: { command: 'node tools/build/bundle.ts {projectRoot}', cache: true, outputs: ['{projectRoot}/dist'] },
      serve: { command: 'node --watch src/main.ts', continuous: true, options: { cwd: '{projectRoot}' } },
    });
  });

  it('gives a project with a Dockerfile the image targets, each calling tools/docker for that project', async () => {
    await files('apps/api/project.json', 'apps/api/tsconfig.json', 'apps/api/src/main.ts', 'apps/api/Dockerfile');
    const targets = await inferredTargets('apps/api/project.json');
    expect(Object.keys(targets ?? {})).toEqual(['typecheck', 'build', 'serve', 'docker-build', 'docker-push', 'docker-release', 'smoke']);
    expect(targets).toMatchObject({
      'docker-build': { command: 'node tools/docker/cli.ts build --project {projectName}', dependsOn: ['build'] },
      'docker-push': { command: 'node tools/docker/cli.ts push --project {projectName}', dependsOn: ['docker-build'] },
      'docker-release': { command: 'node tools/docker/cli.ts release --project {projectName}' },
      smoke: { command: 'node tools/docker/cli.ts smoke --project {projectName}' },
    });
    for (const name of ['docker-build', 'docker-push', 'docker-release', 'smoke']) {
      const target = (targets as Record<string, { cache?: boolean; metadata?: { description?: string } }>)[name];
      expect(target?.cache, name).toBeUndefined();
      expect(target?.metadata?.description, name).toMatch(/\w{3,}/);
    }
  });

  it('gives a library only typecheck', async () => {
    await files('tools/project.json', 'tools/tsconfig.json');
    expect(Object.keys((await inferredTargets('tools/project.json')) ?? {})).toEqual(['typecheck']);
  });

  it('gives a project without TypeScript nothing', async () => {
    await files('docs/project.json');
    expect(await inferredTargets('docs/project.json')).toEqual({});
  });
});
