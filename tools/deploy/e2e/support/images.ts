import { spawn } from 'node:child_process';
import { capture, check } from './processes.ts';

/**
 * The images the suite deploys, made with the docker CLI. This file is the suite's stand-in for
 * tools/docker (being written on its own branch: `base-image`, `build`, `push`), kept to this one file
 * so it can be swapped for those commands once they are merged.
 */
export interface AppImages {
  /** Every reference is pinned by digest, as the pipeline hands it to the deploy. */
  v1: string;
  v2: string;
  /** Exits at start: LOG_LEVEL=loud is refused by the service's settings. */
  crashing: string;
  /** Runs but never listens, so its health check never answers. */
  hanging: string;
}

const prefix = 'e2edeploy';
export const nodeImage = `${prefix}-node:24`;

/** No Docker Hub here: a Node 24 base image from this machine's node binary and the libraries ldd lists. */
export async function buildNodeImage(): Promise<void> {
  const node = process.execPath;
  const libraries = [...(await check('ldd', [node])).matchAll(/(\/\S+) \(0x/g)].map((match) => match[1] ?? '');
  const relative = (path: string) => path.replace(/^\//, '');
  const tar = spawn('tar', [
    '--create',
    '--dereference',
    '--file=-',
    '--directory=/',
    `--transform=s|^${relative(node)}$|usr/local/bin/node|`,
    relative(node),
    ...libraries.map(relative),
  ]);
  const importer = spawn('docker', ['import', '--change', 'ENV PATH=/usr/local/bin:/usr/bin:/bin', '-', nodeImage], { stdio: ['pipe', 'ignore', 'pipe'] });
  tar.stdout.pipe(importer.stdin);
  const errors: string[] = [];
  importer.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const code = await new Promise<number | null>((resolve) => importer.once('exit', resolve));
  if (code !== 0) throw new Error(`docker import of the Node base image failed: ${errors.join('')}`);
}

export async function buildApps(apps: readonly string[]): Promise<void> {
  await check('npx', ['nx', 'run-many', '-t', 'build', `--projects=${apps.join(',')}`, '--output-style=static']);
}

/** Builds the four images of one app, pushes them, and removes their registry references from this engine. */
export async function buildAppImages(app: string, registry: string, dockerConfig: string): Promise<AppImages> {
  const env = { ...process.env, DOCKER_CONFIG: dockerConfig };
  const repository = `${registry}/${prefix}/${app}`;
  // A local name of our own keeps the layers once the registry references are gone.
  const local = (tag: string) => `${prefix}-build/${app}:${tag}`;
  for (const version of ['1.0.0', '2.0.0']) {
    await check('docker', ['build', '--quiet', '--build-arg', `NODE_IMAGE=${nodeImage}`, '--build-arg', `VERSION=${version}`, '-t', local(version), `apps/${app}`], { env });
  }
  await check('docker', ['build', '--quiet', '-t', local('crashing'), '-'], { env, input: `FROM ${local('1.0.0')}\nENV LOG_LEVEL=loud\n` });
  await check('docker', ['build', '--quiet', '-t', local('hanging'), '-'], {
    env,
    input: `FROM ${local('1.0.0')}\nCMD ["node", "-e", "setInterval(() => {}, 1000)"]\n`,
  });
  const pushed = async (tag: string) => {
    await check('docker', ['tag', local(tag), `${repository}:${tag}`], { env });
    const output = await check('docker', ['push', `${repository}:${tag}`], { env });
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
    if (!digest) throw new Error(`no digest in the output of docker push ${repository}:${tag}:\n${output}`);
    // Untagging drops the digest reference too: the deploy finds the image missing and has to log in and pull.
    await check('docker', ['rmi', `${repository}:${tag}`], { env });
    const reference = `${repository}:${tag}@${digest}`;
    if ((await capture('docker', ['image', 'inspect', reference])).code === 0) throw new Error(`${reference} is still on this engine`);
    return reference;
  };
  return { v1: await pushed('1.0.0'), v2: await pushed('2.0.0'), crashing: await pushed('crashing'), hanging: await pushed('hanging') };
}

/** Every image the suite made or pulled: its own names, and the registry's (whose port changes each run). */
export async function removeSuiteImages(): Promise<void> {
  const listed = await check('docker', ['images', '--digests', '--format', '{{.Repository}} {{.Tag}} {{.Digest}}']);
  const references = listed
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([repository = '']) => repository.startsWith(`${prefix}-`) || repository.includes(`/${prefix}/`))
    .map(([repository, tag, digest]) => (tag && tag !== '<none>' ? `${repository}:${tag}` : `${repository}@${digest}`));
  if (references.length > 0) await check('docker', ['rmi', '--force', ...references]);
}
