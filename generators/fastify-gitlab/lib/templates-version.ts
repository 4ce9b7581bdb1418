import { join } from 'node:path';
import { git, GitError, runGit, uncommittedChanges, withTempFolder } from './git.ts';

/**
 * A version of the templates is the git tree id of the templates/ folder. It names their contents, not a commit:
 * the same in every clone, unchanged by rebases and squash merges, and git can check those templates out again,
 * which is what an upgrade needs to render a service as it was first written.
 */
export const versionPattern = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export const shortVersion = (version: string) => version.slice(0, 7);

interface TemplatesRepository {
  /** The repository's top folder. */
  top: string;
  /** templates/ from there, e.g. "templates", or "" when the templates are the whole repository. */
  prefix: string;
}

function templatesRepository(templatesRoot: string): TemplatesRepository {
  const found = runGit(templatesRoot, ['rev-parse', '--show-toplevel', '--show-prefix']);
  if (found.code !== 0) throw new GitError(`git finds no repository it can use around ${templatesRoot}: ${found.stderr.trim()}`);
  const [top = '', prefix = ''] = found.stdout.split('\n');
  return { top, prefix: prefix.replace(/\/$/, '') };
}

export interface CurrentTemplates {
  version: string;
  /** Whether templates/ has changes git has not committed: then only this clone knows the version. */
  uncommitted: boolean;
}

/** The version of the templates as they are on disk, committed or not. */
export function currentTemplatesVersion(templatesRoot: string): CurrentTemplates {
  const { prefix } = templatesRepository(templatesRoot);
  if (uncommittedChanges(templatesRoot, ['.']).length === 0) return { version: git(templatesRoot, ['rev-parse', `HEAD:${prefix}`]).trim(), uncommitted: false };
  // Hashed through a scratch index: the repository's index stays as it is, and the objects git writes let this
  // clone check these templates out later, even if they are never committed as they are now.
  const version = withTempFolder((folder) => {
    const env = { GIT_INDEX_FILE: join(folder, 'index') };
    git(templatesRoot, ['add', '--all', '--', '.'], env);
    return git(templatesRoot, ['write-tree', ...(prefix ? [`--prefix=${prefix}/`] : [])], env).trim();
  });
  return { version, uncommitted: true };
}

/** What to say when a version of uncommitted templates is recorded. */
export const uncommittedTemplatesNote =
  'templates/ has uncommitted changes: commit them as they are now, with the services rendered from them, so every clone knows the version recorded.';

/** The version of the templates at a commit (or any revision git knows, e.g. a tag or HEAD~3). */
export function templatesVersionAt(templatesRoot: string, revision: string): string {
  const { prefix } = templatesRepository(templatesRoot);
  const found = revision.startsWith('-') ? undefined : runGit(templatesRoot, ['rev-parse', '--verify', '--quiet', `${revision}:${prefix}`]);
  if (found?.code !== 0) throw new GitError(`${JSON.stringify(revision)} is not a commit of this repository with a ${prefix || 'templates'}/ folder`);
  return found.stdout.trim();
}

/** Whether this clone has the templates of `version` (a shallow clone may lack old ones). */
export function hasTemplatesVersion(templatesRoot: string, version: string): boolean {
  return versionPattern.test(version) && runGit(templatesRoot, ['cat-file', '-e', `${version}^{tree}`]).code === 0;
}

/** Writes the templates of `version` into `folder`, through a scratch index: the repository's index and files stay as they are. */
export function checkoutTemplates(templatesRoot: string, version: string, folder: string): void {
  const { top } = templatesRepository(templatesRoot);
  withTempFolder((scratch) => {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    git(top, ['read-tree', version], env);
    git(top, ['checkout-index', '--all', `--prefix=${folder}/`], env);
  });
}
