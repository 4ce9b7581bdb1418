import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rcompare, valid } from 'semver';
import { CliError } from './errors.ts';
import { refSlug, revisionFromEnv, sourceUrl, type Revision } from './tags.ts';

const run = promisify(execFile);

async function git(cwd: string, ...args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, { cwd });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The checked-out commit as git describes it: the tag at HEAD (the highest semver one if several), else the branch. */
export async function revisionFromGit(cwd: string): Promise<Revision> {
  const sha = await git(cwd, 'rev-parse', '--verify', 'HEAD');
  if (sha === undefined) {
    throw new CliError(`${cwd} is not a git checkout with a commit: image tags come from CI_COMMIT_SHA or from git`);
  }
  const tags = (await git(cwd, 'tag', '--points-at', 'HEAD'))?.split('\n') ?? [];
  const semverTags = tags.filter((tag) => valid(tag) !== null).sort(rcompare);
  const tag = semverTags[0] ?? tags[0];
  const branch = tag === undefined ? await git(cwd, 'symbolic-ref', '--short', '-q', 'HEAD') : undefined;
  const remote = await git(cwd, 'remote', 'get-url', 'origin');
  return {
    sha,
    branchSlug: branch === undefined ? undefined : refSlug(branch) || undefined,
    tag,
    committedAt: await git(cwd, 'show', '-s', '--format=%cI', 'HEAD'),
    source: remote === undefined ? undefined : sourceUrl(remote),
  };
}

/** CI variables when in a pipeline (a shallow clone may lack tags and branches), else git. */
export async function readRevision(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Revision> {
  return revisionFromEnv(env) ?? (await revisionFromGit(cwd));
}
