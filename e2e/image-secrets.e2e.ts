import { rm } from 'node:fs/promises';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startRegistry, type Registry } from '../tools/docker/testing/registry.ts';
import { runCli } from '../tools/docker/testing/run-cli.ts';
import { plantedGitLabToken } from '../tools/secrets/testing/planted.ts';
import { emptyBundleSbom } from './support/bundle-sbom.ts';
import { throwawayWorkspace } from './support/throwaway-workspace.ts';

/**
 * The image job's two steps (build, then push) on images that hold a planted token, in a throw-away Nx workspace:
 * the build names the secret's place and rule, never its value, and nothing reaches the registry.
 */
describe('an image that holds a secret', () => {
  const baseImage = inject('baseImage');
  const docker = new Docker();
  const sha = 'e'.repeat(40);
  const token = plantedGitLabToken();
  let workspace: string;
  let registry: Registry;

  /** What the image job has: the project's registry (here the loopback one) and its job token. */
  const jobEnv = () => ({ IMAGE_REPOSITORY: `${registry.address}/e2e`, CI_COMMIT_SHA: sha, CI_REGISTRY_USER: registry.username, CI_REGISTRY_PASSWORD: registry.password });
  const push = (project: string) => runCli(['push', '--project', project, '--registry', 'gitlab'], jobEnv(), workspace);

  /** `build` then `push`, as the image job's script runs them: the second only when the first passed. */
  async function imageJob(project: string, buildArgs: string[] = []) {
    const build = await runCli(['build', '--project', project, '--registry', 'gitlab', '--base-image', baseImage.name, ...buildArgs], jobEnv(), workspace);
    return { build, pushed: build.code === 0 ? await push(project) : undefined, reference: `${registry.address}/e2e/${project}:${sha}` };
  }

  beforeAll(async () => {
    registry = await startRegistry();
    workspace = await throwawayWorkspace('secret-workspace', {
      'apps/leaky-file/project.json': JSON.stringify({ name: 'leaky-file' }),
      'apps/leaky-file/Dockerfile': 'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\nCOPY dist/ /app/\n',
      'apps/leaky-file/dist/main.mjs': 'console.log("up");\n',
      'apps/leaky-file/dist/sbom.cdx.json': emptyBundleSbom,
      'apps/leaky-file/dist/config/registry.mjs': `export const port = 3000;\nexport const token = '${token}';\n`,
      'apps/leaky-env/project.json': JSON.stringify({ name: 'leaky-env' }),
      'apps/leaky-env/Dockerfile': 'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\nARG BANNER\nENV BANNER=${BANNER}\n',
      'apps/leaky-env/dist/sbom.cdx.json': emptyBundleSbom,
    });
  });
  afterAll(async () => {
    await registry.stop();
    await rm(workspace, { recursive: true, force: true });
  });

  it('fails the build on a token in a file, naming the file and the rule; the image is removed and nothing pushed', async () => {
    const { build, pushed, reference } = await imageJob('leaky-file');
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/^tools\/docker build: leaky-file: the image holds a secret, so it was removed and nothing is pushed:$/m);
    expect(build.stderr).toMatch(/^ {2}layer \d+: \/app\/config\/registry\.mjs:2:23 {2}@secretlint\/secretlint-rule-gitlab {2}found GitLab Personal Access Token: \*+$/m);
    expect(pushed).toBeUndefined();
    await expect(docker.getImage(reference).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await registry.servedDigest('e2e/leaky-file', sha)).toMatch(/^HTTP 404/);
    // What a second try would do by hand: the engine has nothing left to push.
    const pushByHand = await push('leaky-file');
    expect(pushByHand.code).toBe(1);
    expect(pushByHand.stderr).toContain(`${reference} is not an image on this engine`);
    expect(build.stdout + build.stderr + pushByHand.stdout + pushByHand.stderr).not.toContain(token.slice(6));
  });

  it('fails the build on a token in the environment and the history, from a build argument whose name does not say secret', async () => {
    const { build, pushed } = await imageJob('leaky-env', ['--build-arg', `BANNER=${token}`]);
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/^ {2}image config: Env:\d+:\d+ {2}@secretlint\/secretlint-rule-gitlab {2}found GitLab Personal Access Token: \*+$/m);
    expect(build.stderr).toMatch(/^ {2}image history:\d+:\d+ {2}@secretlint\/secretlint-rule-gitlab {2}found GitLab Personal Access Token: \*+$/m);
    expect(pushed).toBeUndefined();
    expect(await registry.servedDigest('e2e/leaky-env', sha)).toMatch(/^HTTP 404/);
    expect(build.stdout + build.stderr).not.toContain(token.slice(6));
  });
});
