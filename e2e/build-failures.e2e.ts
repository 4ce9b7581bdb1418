import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../tools/docker/testing/run-cli.ts';
import { emptyBundleSbom } from './support/bundle-sbom.ts';
import { throwawayWorkspace } from './support/throwaway-workspace.ts';

/**
 * Builds that must fail, in a throw-away Nx workspace (an nx.json and two projects) so that no broken
 * project ever lives in this one: the CLI works on the workspace around its working directory.
 */
describe('a failing build', () => {
  const baseImage = inject('baseImage');
  let workspace: string;
  const build = (project: string) => runCli(['build', '--project', project, '--base-image', baseImage.name], { CI_COMMIT_SHA: 'f'.repeat(40) }, workspace);

  beforeAll(async () => {
    workspace = await throwawayWorkspace('broken-workspace', {
      'apps/crashing/project.json': JSON.stringify({ name: 'crashing' }),
      // Exec form: the base image has no shell. The step exits 3, which the engine reports in its own words;
      // failing on the first step after FROM leaves no intermediate image behind.
      'apps/crashing/Dockerfile': 'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\nRUN ["node", "-e", "process.exit(3)"]\n',
      'apps/crashing/dist/sbom.cdx.json': emptyBundleSbom,
      'apps/unbuilt/project.json': JSON.stringify({ name: 'unbuilt' }),
      'apps/unbuilt/Dockerfile': 'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\nCOPY dist/ /app/\n',
    });
  });
  afterAll(() => rm(workspace, { recursive: true, force: true }));

  it("exits non-zero with the engine's message, after streaming the steps that ran", async () => {
    const { code, stdout, stderr } = await build('crashing');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^Step 3\/\d+ : RUN \["node", "-e", "process.exit\(3\)"\]$/m);
    expect(stderr).toBe("tools/docker build: building crashing failed: The command 'node -e process.exit(3)' returned a non-zero code: 3\n");
  });

  it('says to run nx build first when dist/ is missing', async () => {
    const { code, stderr } = await build('unbuilt');
    expect(code).toBe(1);
    expect(stderr).toContain('apps/unbuilt/dist is missing: run `npx nx build unbuilt` first');
  });
});
