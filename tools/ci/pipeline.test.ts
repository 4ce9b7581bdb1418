import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { endOf, Sandbox, type Variables } from './sandbox.ts';

/**
 * The pipeline as GitLab would run it, by gitlab-ci-local (rules, needs, includes with spec:inputs, GitLab's JSON
 * schema), in a throwaway git copy of this workspace: each scenario is a commit on top of main with one change,
 * checked out in a worktree of its own, where the jobs that decide what is affected really run (shell executor)
 * before the child pipeline they write is listed. The scenarios run two at a time, one per core.
 */
const workspace = fileURLToPath(new URL('../..', import.meta.url));
const childPipelineFile = '.gitlab-ci-local/artifacts/build/child-pipeline.yml';

interface ListedJob {
  name: string;
  stage: string;
  when: string;
  allow_failure: boolean;
  needs?: { job: string }[];
}

interface ExpandedJob {
  stage?: string;
  trigger?: unknown;
  environment?: { name: string; url: string };
  resource_group?: string;
}

// The lint and test jobs below run `nx affected` in the sandbox; if they ever reached this suite they would nest forever.
if (process.env.PIPELINE_SANDBOX) throw new Error('tools/ci/pipeline.test.ts ran inside its own sandbox: a scenario affects the tools project');

describe('the GitLab pipeline, run by gitlab-ci-local', () => {
  let sandbox: Sandbox;
  let mainSha: string;

  const changes: Record<string, string> = {};

  /** A branch off main whose one commit appends a comment line to each file; remembered by name. */
  async function change(name: string, files: string[]): Promise<void> {
    await sandbox.git('checkout', '--quiet', '-b', name, 'main');
    for (const file of files) await sandbox.write(file, `${readFileSync(join(sandbox.dir, file), 'utf8')}\n// ${name}\n`);
    changes[name] = await sandbox.commitAll(`change ${files.join(', ')}`);
  }

  /** Runs `work` in a checkout of its own of a change, once one of the two lanes is free. */
  const lanes = lanesOf(2);
  let checkouts = 0;
  const inCheckoutOf = <T>(changeName: string, work: (checkout: Sandbox) => Promise<T>) =>
    lanes(async () => {
      const commit = changes[changeName];
      if (!commit) throw new Error(`no change named ${changeName}`);
      return work(await sandbox.worktree(`${changeName}-${++checkouts}`, commit));
    });

  const mergeRequest = (): Variables => ({
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_MERGE_REQUEST_DIFF_BASE_SHA: mainSha,
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
    CI_COMMIT_BRANCH: null,
    PIPELINE_SANDBOX: 'true',
  });

  async function listJobs(checkout: Sandbox, args: string[], variables: Variables): Promise<ListedJob[]> {
    const listed = await checkout.gitlabCiLocal(['--list-json', ...args], variables);
    expect(listed.code, endOf(listed)).toBe(0);
    return JSON.parse(listed.stdout.slice(listed.stdout.indexOf('['))) as ListedJob[];
  }

  /** Runs the root pipeline's build job (and what it needs) for a change, then lists the child pipeline it wrote. */
  const childPipelineOf = (changeName: string, variables: Variables) =>
    inCheckoutOf(changeName, async (checkout) => {
      const build = await checkout.gitlabCiLocal(['build', '--needs', '--force-shell-executor'], variables);
      expect(build.code, endOf(build)).toBe(0);
      const childVariables: Variables = { ...variables, CI_PIPELINE_SOURCE: 'parent_pipeline', PARENT_PIPELINE_ID: '1001' };
      const preview = await checkout.gitlabCiLocal(['--preview', '--json-schema-validation', '--file', childPipelineFile], childVariables);
      expect(preview.code, preview.stderr).toBe(0);
      expect(preview.stderr).toContain('json schema validated');
      const jobs = await listJobs(checkout, ['--file', childPipelineFile], childVariables);
      const expanded = parse(preview.stdout) as Record<string, ExpandedJob>;
      return { log: build.stdout, jobs, expanded, plan: planOf(jobs) };
    });

  /** The services of the sandbox (projects tagged type:service with a Dockerfile) and their recorded deploy target. */
  function services(): Map<string, string> {
    const found = new Map<string, string>();
    for (const app of readdirSync(join(sandbox.dir, 'apps'))) {
      const projectFile = join(sandbox.dir, 'apps', app, 'project.json');
      if (!existsSync(projectFile) || !existsSync(join(sandbox.dir, 'apps', app, 'Dockerfile'))) continue;
      const project = JSON.parse(readFileSync(projectFile, 'utf8')) as { name: string; tags?: string[]; metadata?: { service?: { deploy?: string } } };
      if (project.tags?.includes('type:service')) found.set(project.name, project.metadata?.service?.deploy ?? 'none');
    }
    return found;
  }

  /** What a child pipeline runs, service by service and stage by stage (job names starting `<service>:`). */
  function planOf(jobs: ListedJob[]): Record<string, Record<string, string[]>> {
    const plan: Record<string, Record<string, string[]>> = {};
    for (const job of jobs.filter(({ when }) => when !== 'never')) {
      const [service = job.name] = job.name.split(':');
      ((plan[service] ??= {})[job.stage] ??= []).push(job.name);
    }
    return plan;
  }

  const imagePlan = (service: string) => ({ build: [`${service}:image`], test: [`${service}:test-image`] });
  /** The deploy fragment of the service's target names its own jobs: one deploy, then one smoke test. */
  const releasePlan = (service: string) => ({
    ...imagePlan(service),
    release: [`${service}:release`],
    ...(services().get(service) === 'none' ? {} : { deploy: [expect.stringMatching(`^${service}:deploy`)], smoke: [expect.stringMatching(`^${service}:smoke`)] }),
  });
  const everyService = (plan: (service: string) => object) => Object.fromEntries([...services().keys()].map((service) => [service, plan(service)]));

  beforeAll(async () => {
    sandbox = await Sandbox.copyOf(workspace);
    mainSha = await sandbox.git('rev-parse', 'main');
    // Each service's own settings file: a template-owned file would also fail the generator's drift test.
    await change('weather-only', ['apps/weather/src/options.ts']);
    await change('fibonacci-only', ['apps/fibonacci/src/options.ts']);
    await change('docs-only', ['README.md']);
    await change('bench-only', ['bench/lib/stats.ts']);
    await sandbox.git('checkout', '--quiet', 'main');
  });

  afterAll(async () => {
    await sandbox.remove();
  });

  describe('the root pipeline', () => {
    it('passes JSON-schema validation and expands with --preview', async () => {
      const preview = await sandbox.gitlabCiLocal(['--preview', '--json-schema-validation'], mergeRequest());
      expect(preview.code, preview.stderr).toBe(0);
      expect(preview.stderr).toContain('json schema validated');
      const expanded = parse(preview.stdout) as Record<string, ExpandedJob>;
      expect(Object.keys(expanded).filter((key) => expanded[key]?.stage)).toEqual(['affected-base', 'lint', 'test', 'build', 'ship']);
      expect(expanded.ship?.trigger).toEqual({ include: [{ artifact: 'child-pipeline.yml', job: 'build' }], strategy: 'depend' });
    });

    it('runs lint, test and build after affected-base, and ships only after all three', async () => {
      const jobs = await listJobs(sandbox, [], mergeRequest());
      const needs = Object.fromEntries(jobs.map((job) => [job.name, job.needs?.map((need) => need.job)]));
      expect(needs).toEqual({ 'affected-base': undefined, lint: ['affected-base'], test: ['affected-base'], build: ['affected-base'], ship: ['build', 'lint', 'test'] });
    });

    it.each([
      ['a merge request', { CI_PIPELINE_SOURCE: 'merge_request_event', CI_COMMIT_BRANCH: null }, 'on_success'],
      ['a push to the default branch', { CI_COMMIT_BRANCH: 'main' }, 'on_success'],
      ['a tag', { CI_COMMIT_TAG: 'v1.2.3', CI_COMMIT_BRANCH: null }, 'on_success'],
      ['a push to a branch with an open merge request', { CI_COMMIT_BRANCH: 'feature', CI_OPEN_MERGE_REQUESTS: 'acme/fastify-services!7' }, 'never'],
      ['a push to a branch without a merge request', { CI_COMMIT_BRANCH: 'feature' }, 'never'],
    ] as const)('workflow:rules: %s gets a pipeline: %s', async (_, variables, when) => {
      // gitlab-ci-local evaluates workflow:rules only for their variables, so a probe job carries the same rules.
      await sandbox.write('.workflow-probe.yml', 'include: [{ local: .gitlab-ci.yml }]\nworkflow-probe:\n  stage: .pre\n  rules: !reference [workflow, rules]\n  script: ["true"]\n');
      const jobs = await listJobs(sandbox, ['--file', '.workflow-probe.yml'], variables);
      expect(jobs.find((job) => job.name === 'workflow-probe')?.when).toBe(when);
    });
  });

  it('GitLab’s JSON schema, which every pipeline below passes, rejects a broken one', async () => {
    await sandbox.write('.broken-child.yml', 'stages: [build]\nbroken:\n  stage: build\n  script: echo\n  when: sometimes\n');
    const broken = await sandbox.gitlabCiLocal(['--list-json', '--file', '.broken-child.yml']);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr + broken.stdout).toMatch(/when/);
  });

  // The lint and test jobs run every affected project's whole suite. A change to bench/, which no project depends
  // on, keeps that small (a change to a service would also run the generator's suite, which renders every service):
  // this proves the jobs, while the projects' suites are proven by the run this test is part of.
  it.concurrent('lint and test really run, for the affected projects only, and leave JUnit and Cobertura reports', async () => {
    await inCheckoutOf('bench-only', async (checkout) => {
      const result = await checkout.gitlabCiLocal(['lint', 'test', '--needs', '--force-shell-executor'], mergeRequest());
      expect(result.code, endOf(result)).toBe(0);
      // Nx colours its output even into a pipe; the job log keeps the colours, the assertions read the text.
      const log = stripVTControlCharacters(result.stdout);
      for (const task of ['bench:lint', 'bench:typecheck', 'bench:test']) expect(log).toContain(`nx run ${task}`);
      expect(log).not.toMatch(/nx run (?!bench:)[\w-]+:/);
      expect(log, 'replayed from a cache instead of run').not.toMatch(/\[local cache\]|existing outputs match the cache/);
      expect(log).toMatch(/PASS\s+test\s+\d+(\.\d+)?% coverage/);
      for (const report of ['reports/junit/bench.xml', 'reports/coverage/bench/cobertura-coverage.xml']) {
        expect(existsSync(join(checkout.dir, report)), `${report} is missing after:\n${endOf(result)}`).toBe(true);
      }
      expect(readFileSync(join(checkout.dir, 'reports/junit/bench.xml'), 'utf8')).toContain('<testsuites');
      expect(readFileSync(join(checkout.dir, 'reports/coverage/bench/cobertura-coverage.xml'), 'utf8')).toContain('<coverage');
    });
  });

  // Which projects a change affects is Nx's answer (affected-projects.test.ts asks it for shared code); these prove
  // that the jobs hand the right base on and write the child pipeline that GitLab runs.
  describe.concurrent('merge request pipelines ship only the services a change touches', () => {
    it('a change to apps/weather only: weather image jobs only, nothing released', async () => {
      const { log, plan } = await childPipelineOf('weather-only', mergeRequest());
      expect(log).toContain(`affected: since ${mainSha}`);
      expect(plan).toEqual({ weather: imagePlan('weather') });
    });

    it('a change that touches no project: one no-op job, since GitLab refuses an empty child pipeline', async () => {
      const { jobs } = await childPipelineOf('docs-only', mergeRequest());
      expect(jobs.map((job) => job.name)).toEqual(['no-service-affected']);
    });
  });

  describe.concurrent('default branch and tag pipelines', () => {
    it('a push to main since CI_COMMIT_BEFORE_SHA releases the touched service, with a manual, guarded production deploy', async () => {
      const variables: Variables = { CI_COMMIT_BRANCH: 'main', CI_COMMIT_REF_NAME: 'main', CI_COMMIT_BEFORE_SHA: mainSha, PIPELINE_SANDBOX: 'true' };
      const { log, jobs, expanded, plan } = await childPipelineOf('fibonacci-only', variables);
      expect(log).toContain('GITLAB_TOKEN is not set');
      expect(log).toContain(`affected: since ${mainSha}`);
      expect(plan).toEqual({ fibonacci: releasePlan('fibonacci') });
      const deploys = jobs.filter((job) => job.stage === 'deploy');
      expect(deploys).toHaveLength(1);
      for (const deploy of deploys) {
        expect(deploy).toMatchObject({ when: 'manual', allow_failure: true });
        expect(expanded[deploy.name]).toMatchObject({ environment: { name: 'production/fibonacci', url: '$DEPLOY_URL' }, resource_group: 'fibonacci-production' });
      }
    });

    it('a tag builds and releases every service', async () => {
      const variables: Variables = { CI_COMMIT_TAG: 'v1.2.3', CI_COMMIT_BRANCH: null, PIPELINE_SANDBOX: 'true' };
      const { log, plan } = await childPipelineOf('docs-only', variables);
      expect(log).toContain('affected: everything');
      expect(plan).toEqual(everyService(releasePlan));
    });
  });
});

/** Runs at most `count` pieces of work at once, the others waiting their turn in order. */
function lanesOf(count: number) {
  let free = count;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free--;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}
