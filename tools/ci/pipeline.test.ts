import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listJobs, PipelineLab, type ExpandedJob } from './testing/pipeline-lab.ts';
import { endOf, type Variables } from './testing/sandbox.ts';

/**
 * The root pipeline as GitLab would read it, by gitlab-ci-local (rules, needs, GitLab's JSON schema), in a throwaway
 * git copy of this workspace; and its lint and test jobs run for real (shell executor) for a one-commit change.
 * What the build job writes for each kind of change, the child pipeline, is `npm run test:pipeline`
 * (`tools/ci/e2e/pipeline.e2e.ts`).
 */

// The lint and test jobs below run `nx affected` in the sandbox; if they ever reached this suite they would nest forever.
if (process.env.PIPELINE_SANDBOX) throw new Error('tools/ci/pipeline.test.ts ran inside its own sandbox: a scenario affects the tools project');

describe('the GitLab pipeline, run by gitlab-ci-local', () => {
  let lab: PipelineLab;

  beforeAll(async () => {
    lab = await PipelineLab.open();
    await lab.change('docs-only', ['docs/test/anchors.ts']);
  });

  afterAll(() => lab.remove());

  describe('the root pipeline', () => {
    it('passes JSON-schema validation and expands with --preview', async () => {
      const preview = await lab.sandbox.gitlabCiLocal(['--preview', '--json-schema-validation'], lab.mergeRequest());
      expect(preview.code, preview.stderr).toBe(0);
      expect(preview.stderr).toContain('json schema validated');
      const expanded = parse(preview.stdout) as Record<string, ExpandedJob>;
      expect(Object.keys(expanded).filter((key) => expanded[key]?.stage)).toEqual(['affected-base', 'base-image-pin', 'lint', 'test', 'build', 'ship']);
      expect(expanded.ship?.trigger).toEqual({ include: [{ artifact: 'child-pipeline.yml', job: 'build' }], strategy: 'depend' });
    });

    it('runs lint, test and build after affected-base, and ships only after all three', async () => {
      const jobs = await listJobs(lab.sandbox, [], lab.mergeRequest());
      const needs = Object.fromEntries(jobs.filter((job) => job.when !== 'never').map((job) => [job.name, job.needs?.map((need) => need.job)]));
      expect(needs).toEqual({ 'affected-base': undefined, lint: ['affected-base'], test: ['affected-base'], build: ['affected-base'], ship: ['build', 'lint', 'test'] });
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

  // CREEP (CVE-2025-36852): a merge request's job writes a cache a protected ref's pipeline then restores. A probe job
  // with the Nx jobs' rules and caches (.nx) plants a file where Nx keeps task results and prints what it found;
  // gitlab-ci-local keeps caches between runs, like a runner. Its own script stands in for Nx and npm.
  it('a protected ref restores no cache an unprotected ref wrote, and tells Nx to replay nothing', async () => {
    const script = [
      'echo "skip Nx cache: ${NX_SKIP_NX_CACHE:-no}"',
      'if [ -e .nx/cache/planted ]; then echo "restored: $(cat .nx/cache/planted)"; else echo "restored: nothing"; fi',
      'mkdir -p .nx/cache && echo "by $CI_PIPELINE_SOURCE" > .nx/cache/planted',
    ];
    const probe = `include: [{ local: .gitlab-ci.yml }]\ncache-probe: ${JSON.stringify({ extends: '.nx', stage: 'lint', needs: [], before_script: ['true'], script })}\n`;
    await lab.sandbox.write('.cache-probe.yml', probe);
    const runProbe = async (variables: Variables) => {
      const result = await lab.sandbox.gitlabCiLocal(['--file', '.cache-probe.yml', '--shell-isolation', '--force-shell-executor', 'cache-probe'], { ...variables, PIPELINE_SANDBOX: 'true' });
      expect(result.code, endOf(result)).toBe(0);
      return stripVTControlCharacters(result.stdout);
    };
    const mergeRequest = { ...lab.mergeRequest(), CI_COMMIT_REF_PROTECTED: 'false' };
    expect(await runProbe(mergeRequest)).toMatch(/restored: nothing/);
    // The cache does carry: a second merge request pipeline finds what the first one left.
    expect(await runProbe(mergeRequest)).toMatch(/restored: by merge_request_event/);
    const protectedPush = await runProbe({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', CI_COMMIT_REF_PROTECTED: 'true' });
    expect(protectedPush).toMatch(/restored: nothing/);
    expect(protectedPush).toMatch(/skip Nx cache: true/);
  });

  it('GitLab’s JSON schema, which every pipeline here passes, rejects a broken one', async () => {
    await lab.sandbox.write('.broken-child.yml', 'stages: [build]\nbroken:\n  stage: build\n  script: echo\n  when: sometimes\n');
    const broken = await lab.sandbox.gitlabCiLocal(['--list-json', '--json-schema-validation', '--file', '.broken-child.yml']);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr + broken.stdout).toMatch(/when/);
  });

  // The lint and test jobs run every affected project's whole suite. A change to the docs' own checks, which no
  // project depends on, keeps that the smallest there is (a change to a service would also run the generator's
  // suite, which renders every service): this proves the jobs, while the projects' suites are proven by the run
  // this test is part of.
  it.concurrent('lint and test really run, for the affected projects only, and leave JUnit and Cobertura reports', async () => {
    await lab.inCheckoutOf('docs-only', async (checkout) => {
      const result = await checkout.gitlabCiLocal(['lint', 'test', '--needs', '--force-shell-executor'], lab.mergeRequest());
      expect(result.code, endOf(result)).toBe(0);
      // Nx colours its output even into a pipe; the job log keeps the colours, the assertions read the text.
      const log = stripVTControlCharacters(result.stdout);
      for (const task of ['docs:lint', 'docs:typecheck', 'docs:test']) expect(log).toContain(`nx run ${task}`);
      expect(log).not.toMatch(/nx run (?!docs:)[\w-]+:/);
      expect(log, 'replayed from a cache instead of run').not.toMatch(/\[local cache\]|existing outputs match the cache/);
      expect(log).toMatch(/PASS\s+test\s+\d+(\.\d+)?% coverage/);
      for (const report of ['reports/junit/docs.xml', 'reports/coverage/docs/cobertura-coverage.xml']) {
        expect(existsSync(join(checkout.dir, report)), `${report} is missing after:\n${endOf(result)}`).toBe(true);
      }
      expect(readFileSync(join(checkout.dir, 'reports/junit/docs.xml'), 'utf8')).toContain('<testsuites');
      expect(readFileSync(join(checkout.dir, 'reports/coverage/docs/cobertura-coverage.xml'), 'utf8')).toContain('<coverage');
    });
  });
});
