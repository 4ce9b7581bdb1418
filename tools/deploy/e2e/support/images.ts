import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureBaseImage } from '../../../docker/lib/base-image.ts';
import { connectEngine } from '../../../docker/lib/engine.ts';
import { removeImages } from '../../../docker/testing/remove-images.ts';
import { runCli } from '../../../docker/testing/run-cli.ts';
import type { Registry } from '../../../docker/testing/registry.ts';
import { capture, check } from './processes.ts';

/** The images the suite deploys, every reference pinned by digest as the pipeline hands it to the deploy. */
export interface AppImages {
  v1: string;
  v2: string;
  /** Exits at start: LOG_LEVEL=loud is refused by the service's settings. */
  crashing: string;
  /** Runs but never listens, so its health check never answers. */
  hanging: string;
}

const prefix = 'e2edeploy';

/** The local Node 24 base image of tools/docker (made from this machine's node: there is no Docker Hub here). */
export async function nodeBaseImage(): Promise<string> {
  return (await ensureBaseImage(await connectEngine())).name;
}

export async function buildApps(apps: readonly string[]): Promise<void> {
  await check('npx', ['nx', 'run-many', '-t', 'build', `--projects=${apps.join(',')}`, '--output-style=static']);
}

/**
 * Builds and pushes v1 and v2 of an app with tools/docker, as the pipeline's image and release jobs do (a
 * git tag v1.0.0 makes version 1.0.0), then two broken versions on top of v1; finally removes every one of
 * them from this engine, so that the deploy has to log in and pull by digest like on a real host.
 */
export async function buildAppImages(app: string, registry: Registry, nodeImage: string, dockerConfig: string): Promise<AppImages> {
  const repository = `${registry.address}/${prefix}/${app}`;
  const docker = (args: string[], input?: string) => check('docker', args, { env: { ...process.env, DOCKER_CONFIG: dockerConfig }, input });
  const release = async (version: string) => {
    const env = {
      IMAGE_REPOSITORY: `${registry.address}/${prefix}`,
      NODE_IMAGE: nodeImage,
      CI_COMMIT_SHA: `${version.replaceAll('.', '')}${'0'.repeat(37)}`,
      CI_COMMIT_REF_SLUG: 'e2e',
      CI_COMMIT_TAG: `v${version}`,
      CI_REGISTRY_USER: registry.username,
      CI_REGISTRY_PASSWORD: registry.password,
      DOCKER_HUB_USER: registry.username,
      DOCKER_HUB_TOKEN: registry.password,
    };
    const cli = async (command: string, ...args: string[]) => {
      const run = await runCli([command, '--project', app, ...args], env);
      if (run.code !== 0) throw new Error(`tools/docker ${command} --project ${app} (${version}) failed:\n${run.stderr}${run.stdout}`);
    };
    // As the pipeline ships it: built once, pushed, handed on by digest, released as its semver tags.
    const dotenv = (job: string) => join(dirname(dockerConfig), `${app}-${version}-${job}.env`);
    const handedOn = (job: string, name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(readFileSync(dotenv(job), 'utf8'))?.[1] ?? '';
    await cli('build');
    await cli('push', '--dotenv', dotenv('image'));
    await cli('release', '--image', handedOn('image', 'TESTED_IMAGE'), '--dotenv', dotenv('release'));
    const released = handedOn('release', 'RELEASED_IMAGE');
    if (!released.startsWith(`${repository}:${version}@sha256:`)) throw new Error(`tools/docker release handed on ${released}, not ${repository}:${version}@<digest>`);
    return released;
  };
  const broken = async (tag: string, dockerfile: string) => {
    await docker(['build', '--quiet', '-t', `${repository}:${tag}`, '-'], dockerfile);
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(await docker(['push', `${repository}:${tag}`]))?.[1];
    if (!digest) throw new Error(`docker push printed no digest for ${repository}:${tag}`);
    return `${repository}:${tag}@${digest}`;
  };
  await docker(['login', '--username', registry.username, '--password-stdin', registry.address], registry.password);
  const images = {
    v1: await release('1.0.0'),
    v2: await release('2.0.0'),
    crashing: await broken('crashing', `FROM ${repository}:1.0.0\nENV LOG_LEVEL=loud\n`),
    hanging: await broken('hanging', `FROM ${repository}:1.0.0\nCMD ["node", "-e", "setInterval(() => {}, 1000)"]\n`),
  };
  await removeSuiteImages();
  for (const reference of Object.values(images)) {
    if ((await capture('docker', ['image', 'inspect', reference])).code === 0) throw new Error(`${reference} is still on this engine`);
  }
  return images;
}

/** Every image of the suite: tagged or pulled under the registry's <address>/e2edeploy/ (whose port changes each run). */
export async function removeSuiteImages(): Promise<void> {
  await removeImages(await connectEngine(), [`*/${prefix}/*`]);
}
