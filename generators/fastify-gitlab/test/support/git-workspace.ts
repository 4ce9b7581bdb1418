import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitEnvironment } from '../../lib/git.ts';
import { copyWorkspace, repoRoot, type TempWorkspace } from './temp-workspace.ts';

/** The tests' own commits: a fixed author, and none of the user's git settings (signing, hooks, templates). */
const testGitEnv = {
  GIT_AUTHOR_NAME: 'Upgrade Test',
  GIT_AUTHOR_EMAIL: 'upgrade-test@example.invalid',
  GIT_COMMITTER_NAME: 'Upgrade Test',
  GIT_COMMITTER_EMAIL: 'upgrade-test@example.invalid',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function gitIn(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', env: gitEnvironment(testGitEnv) });
}

export function commitAll(root: string, message: string): void {
  gitIn(root, ['add', '--all']);
  gitIn(root, ['commit', '--quiet', '--allow-empty', '--message', message]);
}

/** `git status --porcelain` of the whole workspace: empty when everything is committed. */
export const uncommitted = (root: string) => gitIn(root, ['status', '--porcelain', '--untracked-files=all']);

/** The version of templates/ committed at HEAD: the git tree id the generators record. */
export const committedTemplatesVersion = (root: string) => gitIn(root, ['rev-parse', 'HEAD:templates']).trim();

/** A copy of this workspace as a git repository of its own, with its sources committed. */
export async function gitWorkspace(): Promise<TempWorkspace> {
  const workspace = await copyWorkspace({ forYo: false });
  gitIn(workspace.root, ['init', '--quiet', '--initial-branch=main']);
  await excludeNodeModules(workspace.root);
  commitAll(workspace.root, 'The workspace');
  return workspace;
}

/** A clone of a git workspace: its commits, in a folder one test may change as it likes. */
export async function cloneWorkspace(source: TempWorkspace): Promise<TempWorkspace> {
  const parent = await mkdtemp(join(tmpdir(), 'fastify-gitlab-clone-'));
  const root = join(parent, 'workspace');
  const home = join(parent, 'home');
  gitIn(parent, ['clone', '--quiet', source.root, root]);
  await excludeNodeModules(root);
  await mkdir(home);
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  return { root, home, remove: () => rm(parent, { recursive: true, force: true }) };
}

/** The symlink to this checkout's node_modules is no source: .gitignore's `node_modules/` matches folders only. */
function excludeNodeModules(root: string): Promise<void> {
  return writeFile(join(root, '.git/info/exclude'), '/node_modules\n');
}
