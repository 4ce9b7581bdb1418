/**
 * Where `nx affected` starts comparing from, chosen once per pipeline by the `affected-base` job:
 *   merge request   CI_MERGE_REQUEST_DIFF_BASE_SHA, the commit the branch forked from its target
 *   branch          the SHA of the branch's last successful pipeline (GitLab API, when GITLAB_TOKEN is set),
 *                   else CI_COMMIT_BEFORE_SHA (unless it is all zeros: a new branch)
 *   tag, schedule, or none of the above fits   everything (a scheduled pipeline rebuilds every service, so
 *                   a fix in the pinned base image ships though no file of ours changed)
 * A candidate that is not an ancestor of HEAD (force push, shallow clone) is skipped, and the notes say why.
 */
export type AffectedBase = { kind: 'since'; sha: string; notes: string[] } | { kind: 'all'; notes: string[] };

/** The predefined GitLab CI variables the choice reads, plus GITLAB_TOKEN (a token with read_api). */
export interface PipelineEnv {
  CI_PIPELINE_SOURCE?: string;
  CI_MERGE_REQUEST_DIFF_BASE_SHA?: string;
  CI_MERGE_REQUEST_TARGET_BRANCH_NAME?: string;
  CI_COMMIT_TAG?: string;
  CI_COMMIT_BRANCH?: string;
  CI_COMMIT_BEFORE_SHA?: string;
  CI_API_V4_URL?: string;
  CI_PROJECT_ID?: string;
  GITLAB_TOKEN?: string;
}

export interface BaseLookups {
  /** The last successful pipeline on a branch, or undefined when it has none. Throws when the API fails. */
  lastSuccessfulPipeline(branch: string): Promise<{ id: number; sha: string } | undefined>;
  /** Whether a commit is in HEAD's history (false too when the clone lacks it). */
  isAncestorOfHead(sha: string): Promise<boolean>;
}

const noCommit = /^0+$/;

export async function chooseAffectedBase(env: PipelineEnv, lookups: BaseLookups): Promise<AffectedBase> {
  const notes: string[] = [];
  const since = async (sha: string | undefined, what: string): Promise<AffectedBase | undefined> => {
    if (!sha) return undefined;
    if (await lookups.isAncestorOfHead(sha)) return { kind: 'since', sha, notes: [...notes, `${what}: ${sha}`] };
    notes.push(`${what} ${sha} is not in HEAD's history (force push or shallow clone?), skipped`);
    return undefined;
  };

  if (env.CI_COMMIT_TAG) return { kind: 'all', notes: [`tag pipeline (${env.CI_COMMIT_TAG}): a release builds every project`] };
  if (env.CI_PIPELINE_SOURCE === 'schedule') {
    return { kind: 'all', notes: ['scheduled pipeline: every project is rebuilt, on a fresh base image too (docs/pipeline-security.md)'] };
  }

  if (env.CI_PIPELINE_SOURCE === 'merge_request_event') {
    const target = env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME ?? 'its target branch';
    const found = await since(env.CI_MERGE_REQUEST_DIFF_BASE_SHA, `merge request: the commit it forked from ${target}`);
    if (found) return found;
  } else if (env.CI_COMMIT_BRANCH) {
    const branch = env.CI_COMMIT_BRANCH;
    const found =
      (await since(await lastGreenSha(branch, env, lookups, notes), `branch ${branch}: its last successful pipeline`)) ??
      (await since(noCommit.test(env.CI_COMMIT_BEFORE_SHA ?? '') ? undefined : env.CI_COMMIT_BEFORE_SHA, `branch ${branch}: the commit before this push`));
    if (found) return found;
    if (!env.CI_COMMIT_BEFORE_SHA || noCommit.test(env.CI_COMMIT_BEFORE_SHA)) notes.push(`branch ${branch}: no commit before this push (new branch)`);
  } else {
    notes.push('not a merge request, branch or tag pipeline');
  }
  return { kind: 'all', notes: [...notes, 'nothing to compare with: every project counts as affected'] };
}

async function lastGreenSha(branch: string, env: PipelineEnv, lookups: BaseLookups, notes: string[]): Promise<string | undefined> {
  if (!env.GITLAB_TOKEN) {
    notes.push('GITLAB_TOKEN is not set: the last successful pipeline cannot be looked up');
    return undefined;
  }
  try {
    const pipeline = await lookups.lastSuccessfulPipeline(branch);
    if (pipeline) return pipeline.sha;
    notes.push(`branch ${branch} has no successful pipeline yet`);
  } catch (error) {
    notes.push(`the last successful pipeline could not be looked up: ${(error as Error).message}`);
  }
  return undefined;
}

/** The one line a job log shows, plus the notes that led to it. */
export function describeAffectedBase(base: AffectedBase): string {
  const head = base.kind === 'all' ? 'affected: everything' : `affected: since ${base.sha}`;
  return [head, ...base.notes.map((note) => `  - ${note}`)].join('\n');
}

/** How the choice travels from the affected-base job to the others: the value of AFFECTED_BASE. */
export function formatAffectedBase(base: AffectedBase): string {
  return base.kind === 'all' ? 'all' : base.sha;
}

export function parseAffectedBase(value: string): AffectedBase {
  const notes = ["taken from AFFECTED_BASE, the affected-base job's choice"];
  if (value === 'all') return { kind: 'all', notes };
  if (/^[0-9a-f]{7,64}$/.test(value)) return { kind: 'since', sha: value, notes };
  throw new Error(`AFFECTED_BASE must be a commit SHA or "all", got ${JSON.stringify(value)}`);
}
