import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const gitlabCiLocalBin = join(dirname(createRequire(import.meta.url).resolve('gitlab-ci-local/package.json')), 'dist/index.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The end of a run's output, where a failed job says why: a failing test's message fits on one screen. */
export function endOf({ stdout, stderr }: Run, lines = 40): string {
  return `${stdout}${stderr}`.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Pipeline variables for one gitlab-ci-local run; `null` unsets a predefined one (CI_COMMIT_BRANCH in a merge request pipeline). */
export type Variables = Record<string, string | null>;

/**
 * A throwaway git copy of a workspace (its tracked and untracked-but-not-ignored files, committed on `main`,
 * with an `origin` remote as gitlab-ci-local needs), where gitlab-ci-local runs the pipeline for real.
 * node_modules is the workspace's, linked entry by entry (the jobs find it and skip `npm ci`), except that
 * the workspace's own packages (npm workspaces links, e.g. @fastify-gitlab/service-kit) point at the sandbox's
 * copies: Nx sees an app's import of a shared library as a dependency only when it resolves inside the workspace.
 */
export class Sandbox {
  readonly dir: string;
  private readonly nodeModules: string;
  private readonly worktrees: Sandbox[] = [];

  private constructor(dir: string, nodeModules: string) {
    this.dir = dir;
    this.nodeModules = nodeModules;
  }

  static async copyOf(workspace: string): Promise<Sandbox> {
    await run('rsync', ['--version']).catch(() => {
      throw new Error('gitlab-ci-local needs rsync, which is not installed: run .ci/provision-pipeline.sh (apt-get install -y rsync)');
    });
    const sandbox = new Sandbox(await mkdtemp(join(tmpdir(), 'pipeline-sandbox-')), join(workspace, 'node_modules'));
    // Readable by every user, like a checkout: the generator's tests run yo as an unprivileged user in it.
    await chmod(sandbox.dir, 0o755);
    const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: workspace, maxBuffer: 16 << 20 });
    const files = stdout.split('\0').filter((file) => file && existsSync(join(workspace, file)));
    await Promise.all(files.map((file) => cp(join(workspace, file), join(sandbox.dir, file))));
    await linkNodeModules(sandbox.nodeModules, join(sandbox.dir, 'node_modules'));
    await sandbox.git('init', '--quiet', '--initial-branch=main');
    await sandbox.commitAll('the workspace as it is');
    await sandbox.git('remote', 'add', 'origin', 'https://gitlab.example.com/acme/fastify-services.git');
    await sandbox.git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    await sandbox.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    return sandbox;
  }

  /**
   * Another checkout of this repository at `commit` (a detached git worktree beside it, node_modules linked the
   * same way), so that jobs can run in several checkouts at once.
   */
  async worktree(name: string, commit: string): Promise<Sandbox> {
    const worktree = new Sandbox(`${this.dir}-${name}`, this.nodeModules);
    await this.git('worktree', 'add', '--quiet', '--detach', worktree.dir, commit);
    await linkNodeModules(this.nodeModules, join(worktree.dir, 'node_modules'));
    this.worktrees.push(worktree);
    return worktree;
  }

  async git(...args: string[]): Promise<string> {
    const { stdout } = await run('git', ['-c', 'user.name=Pipeline Test', '-c', 'user.email=pipeline@example.com', ...args], { cwd: this.dir });
    return stdout.trim();
  }

  async write(file: string, content: string): Promise<void> {
    await mkdir(dirname(join(this.dir, file)), { recursive: true });
    await writeFile(join(this.dir, file), content);
  }

  async commitAll(message: string): Promise<string> {
    await this.git('add', '--all');
    await this.git('commit', '--quiet', '--allow-empty', '--message', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Runs gitlab-ci-local here with only PATH and HOME from this process, so no outer Nx or Vitest setting leaks in. */
  async gitlabCiLocal(args: readonly string[], variables: Variables = {}): Promise<Run> {
    const entries = Object.entries(variables);
    const variableArgs = entries.flatMap(([key, value]) => (value === null ? ['--unset-variable', key] : ['--variable', `${key}=${value}`]));
    const quiet = entries.length > 0 ? ['--ignore-predefined-vars', entries.map(([key]) => key).join(',')] : [];
    const env = { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: process.env.HOME ?? this.dir };
    try {
      const { stdout, stderr } = await run(process.execPath, [gitlabCiLocalBin, '--no-color', ...schemaCheck(args), ...quiet, ...variableArgs, ...args], {
        cwd: this.dir,
        env,
        maxBuffer: 64 << 20,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const { code, stdout = '', stderr = '' } = error as { code?: unknown; stdout?: string; stderr?: string };
      if (typeof code !== 'number') throw error;
      return { code, stdout, stderr };
    }
  }

  async remove(): Promise<void> {
    await Promise.all([...this.worktrees, this].map(({ dir }) => rm(dir, { recursive: true, force: true })));
  }
}

/**
 * GitLab's JSON schema is checked where a test asks for it (`--json-schema-validation`, once per pipeline file):
 * compiling it is half of each run, and the listings and job runs would check the same file again.
 */
const schemaCheck = (args: readonly string[]) => (args.includes('--json-schema-validation') ? [] : ['--json-schema-validation=false']);

async function linkNodeModules(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    // A workspace package is a relative link (../../libs/x): the same link in the sandbox reaches the sandbox's copy.
    if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else if (entry.isDirectory() && entry.name.startsWith('@')) await linkNodeModules(source, target);
    else await symlink(source, target);
  }
}
