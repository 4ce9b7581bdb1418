import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** git could not do what was asked: the message is git's own, after the command that failed. */
export class GitError extends Error {
  override name = 'GitError';
}

export interface GitResult {
  /** Some commands answer with their exit code: `merge-file` counts conflicts, `diff --no-index` says whether files differ. */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Where git looks for a repository besides the working folder. A hook that runs the tests or the generators
 * (pre-commit, say) sets some of them for its own repository: here git finds the repository from `cwd` alone.
 */
const repositoryLocators = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_PREFIX'];

/** The environment git runs in: this process's, without repository locators, plus `env`. */
export function gitEnvironment(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !repositoryLocators.includes(name)));
  return { ...inherited, ...env };
}

/** Runs git in `cwd`, whatever its exit code; throws only when git is not installed. */
export function runGit(cwd: string, args: readonly string[], env: Record<string, string> = {}): GitResult {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: gitEnvironment(env), maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new GitError(`git is needed, and could not be started: ${result.error.message}`);
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs git in `cwd` and answers its output; a non-zero exit throws with git's message. */
export function git(cwd: string, args: readonly string[], env: Record<string, string> = {}): string {
  const result = runGit(cwd, args, env);
  if (result.code !== 0) throw new GitError(`git ${args.join(' ')} failed in ${cwd}: ${result.stderr.trim() || `exit ${result.code}`}`);
  return result.stdout;
}

/** Calls `work` with a fresh temporary folder, removed afterwards whatever happens. */
export function withTempFolder<T>(work: (folder: string) => T): T {
  const folder = mkdtempSync(join(tmpdir(), 'fastify-gitlab-'));
  try {
    return work(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** `git status` lines for uncommitted changes (untracked files included) under `paths`, relative to `cwd`. */
export function uncommittedChanges(cwd: string, paths: readonly string[]): string[] {
  return git(cwd, ['status', '--porcelain', '--untracked-files=all', '--', ...paths])
    .split('\n')
    .filter((line) => line !== '');
}

/** Whether `cwd` is in a git work tree: outside one, nothing can be restored with git, and nothing is checked. */
export function insideWorkTree(cwd: string): boolean {
  return runGit(cwd, ['rev-parse', '--is-inside-work-tree']).stdout.trim() === 'true';
}

/**
 * Throws, listing them, when any of `paths` has uncommitted changes: a file rewritten in place must be
 * committed first, so git can give it back. `heading` says whose changes they are, `advice` what to do.
 */
export function refuseUncommittedChanges(cwd: string, paths: readonly string[], heading: string, advice: string): void {
  const changes = uncommittedChanges(cwd, paths);
  if (changes.length === 0) return;
  throw new Error([heading, ...changes.map((line) => `  ${line}`), advice].join('\n'));
}
