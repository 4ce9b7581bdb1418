import { describe, expect, it } from 'vitest';
import { chooseAffectedBase, describeAffectedBase, formatAffectedBase, parseAffectedBase, type BaseLookups, type PipelineEnv } from './affected-base.ts';

const diffBase = 'a'.repeat(40);
const lastGreen = 'b'.repeat(40);
const before = 'c'.repeat(40);
const zeros = '0'.repeat(40);

/** A repository that has these commits and a GitLab whose last green pipeline is this (null: none), recording what was asked. */
function lookups({ history = [diffBase, lastGreen, before], green = lastGreen }: { history?: string[]; green?: string | null | Error } = {}) {
  const asked: string[] = [];
  const found: BaseLookups = {
    lastSuccessfulPipeline: async (branch) => {
      asked.push(branch);
      if (green instanceof Error) throw green;
      return green === null ? undefined : { id: 41, sha: green };
    },
    isAncestorOfHead: async (sha) => history.includes(sha),
  };
  return { asked, found };
}

const branchPush: PipelineEnv = { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', CI_COMMIT_BEFORE_SHA: before };
const withToken: PipelineEnv = { ...branchPush, GITLAB_TOKEN: 'glpat-secret', CI_API_V4_URL: 'https://gitlab.example.com/api/v4', CI_PROJECT_ID: '7' };

describe('chooseAffectedBase', () => {
  it('compares a merge request with the commit it forked from', async () => {
    const env: PipelineEnv = { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_DIFF_BASE_SHA: diffBase, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_COMMIT_BEFORE_SHA: zeros };
    const base = await chooseAffectedBase(env, lookups().found);
    expect(base).toEqual({ kind: 'since', sha: diffBase, notes: [`merge request: the commit it forked from main: ${diffBase}`] });
  });

  it('compares a branch push with its last successful pipeline when a token is there', async () => {
    const { asked, found } = lookups();
    const base = await chooseAffectedBase(withToken, found);
    expect(base).toMatchObject({ kind: 'since', sha: lastGreen });
    expect(asked).toEqual(['main']);
  });

  it('falls back to the commit before the push without a token, and says so', async () => {
    const { asked, found } = lookups();
    const base = await chooseAffectedBase(branchPush, found);
    expect(base).toMatchObject({ kind: 'since', sha: before });
    expect(base.notes[0]).toMatch(/GITLAB_TOKEN is not set/);
    expect(asked).toEqual([]);
  });

  it.each([
    ['the API fails', new Error('GET https://gitlab.example.com/api/v4/projects/7/pipelines answered 401 Unauthorized'), /could not be looked up: GET .* 401 Unauthorized/],
    ['the branch has no green pipeline yet', null, /has no successful pipeline yet/],
  ])('falls back to the commit before the push when %s', async (_, green, note) => {
    const base = await chooseAffectedBase(withToken, lookups({ green }).found);
    expect(base).toMatchObject({ kind: 'since', sha: before });
    expect(base.notes.join('\n')).toMatch(note);
  });

  it('skips a last green commit that is no longer in the history (force push)', async () => {
    const base = await chooseAffectedBase(withToken, lookups({ history: [before] }).found);
    expect(base).toMatchObject({ kind: 'since', sha: before });
    expect(base.notes[0]).toBe(`branch main: its last successful pipeline ${lastGreen} is not in HEAD's history (force push or shallow clone?), skipped`);
  });

  it('takes everything for a new branch (before SHA all zeros)', async () => {
    const base = await chooseAffectedBase({ ...branchPush, CI_COMMIT_BEFORE_SHA: zeros }, lookups().found);
    expect(base.kind).toBe('all');
    expect(base.notes).toContain('branch main: no commit before this push (new branch)');
  });

  it('takes everything when neither the last green nor the before commit is in the history', async () => {
    const base = await chooseAffectedBase(withToken, lookups({ history: [] }).found);
    expect(base.kind).toBe('all');
    expect(base.notes.filter((note) => note.endsWith('skipped'))).toHaveLength(2);
  });

  it('takes everything for a tag, without asking GitLab', async () => {
    const { asked, found } = lookups();
    const base = await chooseAffectedBase({ ...withToken, CI_COMMIT_TAG: 'v1.2.0' }, found);
    expect(base).toEqual({ kind: 'all', notes: ['tag pipeline (v1.2.0): a release builds every project'] });
    expect(asked).toEqual([]);
  });

  it('takes everything for a scheduled pipeline, without asking GitLab, so every image is rebuilt on the pinned base', async () => {
    const { asked, found } = lookups();
    const base = await chooseAffectedBase({ ...withToken, CI_PIPELINE_SOURCE: 'schedule' }, found);
    expect(base.kind).toBe('all');
    expect(base.notes[0]).toMatch(/^scheduled pipeline: every project is rebuilt/);
    expect(asked).toEqual([]);
  });

  it('takes everything outside a pipeline', async () => {
    expect((await chooseAffectedBase({}, lookups().found)).kind).toBe('all');
  });

  it('takes everything for a merge request whose diff base is missing from a shallow clone', async () => {
    const env: PipelineEnv = { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_DIFF_BASE_SHA: diffBase };
    const base = await chooseAffectedBase(env, lookups({ history: [] }).found);
    expect(base.kind).toBe('all');
    expect(base.notes[0]).toMatch(/not in HEAD's history \(force push or shallow clone\?\)/);
  });
});

describe('AFFECTED_BASE, the value handed from the affected-base job to the others', () => {
  it('round-trips a SHA and "all"', () => {
    expect(parseAffectedBase(formatAffectedBase({ kind: 'since', sha: diffBase, notes: [] }))).toMatchObject({ kind: 'since', sha: diffBase });
    expect(parseAffectedBase(formatAffectedBase({ kind: 'all', notes: [] }))).toMatchObject({ kind: 'all' });
  });

  it('refuses anything else, naming it', () => {
    expect(() => parseAffectedBase('main')).toThrow('AFFECTED_BASE must be a commit SHA or "all", got "main"');
  });

  it('is described as one headline and the notes that led to it', () => {
    expect(describeAffectedBase({ kind: 'since', sha: diffBase, notes: ['first', 'second'] })).toBe(`affected: since ${diffBase}\n  - first\n  - second`);
  });
});
