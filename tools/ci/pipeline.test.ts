import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listJobs, PipelineLab, type ExpandedJob } from './testing/pipeline-lab.ts';

/**
 * The root pipeline as GitLab would read it, by gitlab-ci-local (rules, needs, GitLab's JSON schema), in a throwaway
 * git copy of this workspace. Its jobs, run for real for each kind of change, and the child pipeline the build job
 * writes are `npm run test:pipeline` (`tools/ci/e2e/pipeline.e2e.ts`).
 */
describe('the GitLab pipeline, run by gitlab-ci-local', () => {
  let lab: PipelineLab;

  beforeAll(async () => {
    lab = await PipelineLab.open();
  });

  afterAll(() => lab.remove());

  describe('the root pipeline', () => {
    it('passes JSON-schema validation and expands with --preview', async () => {
      const preview = await lab.sandbox.gitlabCiLocal(['--preview', '--json-schema-validation'], lab.mergeRequest());
      expect(preview.code, preview.stderr).toBe(0);
      expect(preview.stderr).toContain('json schema validated');
      const expanded = parse(preview.stdout) as Record<string, ExpandedJob>;
      expect(Object.keys(expanded).filter((key) => expanded[key]?.stage)).toEqual(['affected-base', 'base-image-pin', 'lint', 'secret-scan', 'test', 'build', 'ship']);
      expect(expanded.ship?.trigger).toEqual({ include: [{ artifact: 'child-pipeline.yml', job: 'build' }], strategy: 'depend' });
    });

    it('runs lint, the secret scan, test and build after affected-base, and ships only after all four', async () => {
      const jobs = await listJobs(lab.sandbox, [], lab.mergeRequest());
      const needs = Object.fromEntries(jobs.filter((job) => job.when !== 'never').map((job) => [job.name, job.needs?.map((need) => need.job)]));
      expect(needs).toEqual({ 'affected-base': undefined, lint: ['affected-base'], 'secret-scan': ['affected-base'], test: ['affected-base'], build: ['affected-base'], ship: ['build', 'lint', 'secret-scan', 'test'] });
    });

    it.each([
      ['a merge request', 'never', { CI_PIPELINE_SOURCE: 'merge_request_event', CI_COMMIT_BRANCH: null }],
      ['a push to the default branch', 'never', { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main' }],
      ['a scheduled pipeline', 'on_success', { CI_PIPELINE_SOURCE: 'schedule', CI_COMMIT_BRANCH: 'main' }],
    ] as const)('base-image-pin in %s: %s (a failure only warns)', async (_, when, variables) => {
      const pinJob = (await listJobs(lab.sandbox, [], variables)).find((job) => job.name === 'base-image-pin');
      expect(pinJob).toMatchObject({ when, allow_failure: when !== 'never' });
    });

    it.each([
      ['a merge request', { CI_PIPELINE_SOURCE: 'merge_request_event', CI_COMMIT_BRANCH: null }, 'on_success'],
      ['a push to the default branch', { CI_COMMIT_BRANCH: 'main' }, 'on_success'],
      ['a tag', { CI_COMMIT_TAG: 'v1.2.3', CI_COMMIT_BRANCH: null }, 'on_success'],
      ['a push to a branch with an open merge request', { CI_COMMIT_BRANCH: 'feature', CI_OPEN_MERGE_REQUESTS: 'acme/fastify-services!7' }, 'never'],
      ['a push to a branch without a merge request', { CI_COMMIT_BRANCH: 'feature' }, 'never'],
    ] as const)('workflow:rules: %s gets a pipeline: %s', async (_, variables, when) => {
      // gitlab-ci-local evaluates workflow:rules only for their variables, so a probe job carries the same rules.
      await lab.sandbox.write('.workflow-probe.yml', 'include: [{ local: .gitlab-ci.yml }]\nworkflow-probe:\n  stage: .pre\n  rules: !reference [workflow, rules]\n  script: ["true"]\n');
      const jobs = await listJobs(lab.sandbox, ['--file', '.workflow-probe.yml'], variables);
      expect(jobs.find((job) => job.name === 'workflow-probe')?.when).toBe(when);
    });
  });

  it('GitLab’s JSON schema, which every pipeline here passes, rejects a broken one', async () => {
    await lab.sandbox.write('.broken-child.yml', 'stages: [build]\nbroken:\n  stage: build\n  script: echo\n  when: sometimes\n');
    const broken = await lab.sandbox.gitlabCiLocal(['--list-json', '--json-schema-validation', '--file', '.broken-child.yml']);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr + broken.stdout).toMatch(/when/);
  });
});
