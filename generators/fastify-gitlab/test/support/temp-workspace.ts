import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** yo refuses to run as root: started by root it switches itself to this uid (package default-uid, on Linux). */
const yoUid = 1000;
const runningAsRoot = process.getuid?.() === 0;

/** What is not the workspace's source: installed, built or cached. */
const notCopied = new Set(['node_modules', '.git', '.nx', 'dist', 'coverage', 'reports']);

export interface TempWorkspace {
  root: string;
  /** A HOME for the commands run here, so yo's config and update check stay out of the user's. */
  home: string;
  remove: () => Promise<void>;
}

/**
 * A copy of this workspace's sources in a temporary folder, sharing this checkout's node_modules through a
 * symlink (no install). When the tests run as root the copy belongs to uid 1000, the user yo switches to, unless
 * `forYo` is false: for suites that run the generators in-process, and git as the user the tests run as.
 */
export async function copyWorkspace({ forYo = true } = {}): Promise<TempWorkspace> {
  const parent = await mkdtemp(join(tmpdir(), 'fastify-gitlab-'));
  const root = join(parent, 'workspace');
  const home = join(parent, 'home');
  await cp(repoRoot, root, { recursive: true, filter: (source) => !notCopied.has(basename(source)) });
  await mkdir(home);
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  if (runningAsRoot && forYo) {
    assertReadableByYoUser();
    await promisify(execFile)('chown', ['-R', '-h', `${yoUid}:${yoUid}`, parent]);
  }
  return { root, home, remove: () => rm(parent, { recursive: true, force: true }) };
}

export interface CommandResult {
  code: number;
  output: string;
}

/** The end of a command's output, where a failed Nx run names its failing task: a test's message fits on one screen. */
export const endOf = ({ output }: CommandResult, lines = 60) => output.trimEnd().split('\n').slice(-lines).join('\n');

/**
 * Runs a command in the workspace with a clean environment: none of the Nx or Vitest settings of the run around it,
 * and its compile cache under the workspace's HOME. Its stdin is an ended pipe, not a terminal, as in CI or a script: a
 * prompt can't be answered.
 */
export function run(workspace: TempWorkspace, command: string, args: string[]): Promise<CommandResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(NX_|VITEST|NODE_ENV$|NODE_COMPILE_CACHE$)/.test(name)));
  Object.assign(env, { HOME: workspace.home, NO_UPDATE_NOTIFIER: '1', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' });
  return new Promise((resolve) => {
    const child = execFile(command, args, { cwd: workspace.root, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
    child.stdin?.end();
  });
}

/** The real `yo` binary of this checkout, as a user would run it: `npx yo fastify-gitlab[:<generator>] …`. */
export const yo = (workspace: TempWorkspace, args: string[], generator = 'app') =>
  run(workspace, join(repoRoot, 'node_modules/.bin/yo'), [generator === 'app' ? 'fastify-gitlab' : `fastify-gitlab:${generator}`, ...args]);

export const nx = (workspace: TempWorkspace, args: string[]) => run(workspace, join(repoRoot, 'node_modules/.bin/nx'), args);

/**
 * A temporary workspace with a service scaffolded by `yo fastify-gitlab <args>`, e.g. for a suite that builds
 * its image: `const workspace = await scaffoldInTempWorkspace(['orders', '--defaults'])`, then
 * `nx build orders` and `docker build apps/orders` in `workspace.root`; `workspace.remove()` when done.
 */
export async function scaffoldInTempWorkspace(args: string[]): Promise<TempWorkspace> {
  const workspace = await copyWorkspace();
  const result = await yo(workspace, args);
  if (result.code !== 0) {
    await workspace.remove();
    throw new Error(`yo fastify-gitlab ${args.join(' ')} failed (exit ${result.code}):\n${result.output}`);
  }
  return workspace;
}

/** Fails with what to do when uid 1000 can't reach this checkout: yo run by root could not load itself. */
function assertReadableByYoUser(): void {
  // Root may read anything, so the mode bits tell what uid 1000 may do: traverse every folder up to here.
  const closed = [];
  for (let folder = repoRoot; ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o005) !== 0o005) closed.push(folder);
    if (dirname(folder) === folder) break;
  }
  if (closed.length > 0) {
    throw new Error(
      `yo, run as root, switches to uid ${yoUid}, which cannot enter ${closed.join(', ')}. ` +
        'Run the tests as a regular user, or from a checkout every user can read (e.g. under /srv or /tmp).',
    );
  }
}
