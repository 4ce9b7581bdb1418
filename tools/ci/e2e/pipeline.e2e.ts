import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv, stripVTControlCharacters } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureBaseImage } from '../../docker/lib/base-image.ts';
import { connectEngine } from '../../docker/lib/engine.ts';
import type { ProvenanceStatement } from '../../docker/lib/provenance.ts';
import { provenanceErrors } from '../../docker/testing/provenance-schema.ts';
import { startRegistry, type Registry } from '../../docker/testing/registry.ts';
import { removeImages } from '../../docker/testing/remove-images.ts';
import { startNginx } from '../../deploy/e2e/support/nginx.ts';
import { startDroplet } from '../../deploy/e2e/support/sshd.ts';
import { plantedGitLabToken } from '../../secrets/testing/planted.ts';
import { listJobs, PipelineLab, type ExpandedJob, type ListedJob } from '../testing/pipeline-lab.ts';
import { endOf, type Run, type Variables } from '../testing/sandbox.ts';

/**
 * `npm run test:pipeline`: for each kind of change and pipeline, the root pipeline's affected-base and build jobs
 * really run (gitlab-ci-local, shell executor) in a checkout of that change, and the child pipeline the build job
 * writes is validated against GitLab's schema and listed. gitlab-ci-local does not run a `trigger` job itself: the
 * child pipeline is read with `--file`, as GitLab would read the artifact. Where a scenario ships, the child
 * pipeline's jobs then run too, on this machine's Docker engine (DOCKER_ENGINE=runner, as on a shell runner):
 * image, test-image and release, pushing to two htpasswd registries on loopback that stand for the project's
 * GitLab registry and Docker Hub; on the default branch, the manual deploy to a loopback droplet (sshd, nginx,
 * ansible) and its smoke test.
 */
const buildArtifacts = '.gitlab-ci-local/artifacts/build';
const childPipelineFile = `${buildArtifacts}/child-pipeline.yml`;

/**
 * The child jobs to run after the build job wrote the pipeline (with the jobs they need), the manual ones among
 * those a user starts, and the CI/CD variables GitLab would give them.
 */
interface Ship {
  jobs: string[];
  manual?: string[];
  variables: Variables;
}

/** The services' deployments on the loopback droplet are named after the project, as in production. */
const deployedContainers = ['fibonacci', 'weather', 'orders'].flatMap((service) => [`${service}-blue`, `${service}-green`]);

/** Every image this suite pushed or pulled: its registries' ports change each run, so a killed run's are found too. */
const removeSuiteImages = (docker: Docker) => removeImages(docker, ['127.0.0.1:*/acme/fastify-services/*', '127.0.0.1:*/pipeline-hub/*']);

async function removeDeployedContainers(docker: Docker): Promise<void> {
  const containers = await docker.listContainers({ all: true });
  const deployed = containers.filter(({ Names }) => Names.some((name) => deployedContainers.includes(name.replace(/^\//, ''))));
  await Promise.all(deployed.map(({ Id }) => docker.getContainer(Id).remove({ force: true })));
}

/**
 * The "droplet": an sshd and an nginx of their own on loopback, whose commands reach this machine's Docker engine
 * (as the deploy suite's), and the CI/CD variables a project sets for it (docs/deploy.md).
 */
async function startLoopbackHost(): Promise<{ variables: Variables; scratch: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pipeline-host-'));
  // nginx's workers run as nobody.
  await chmod(dir, 0o755);
  const droplet = await startDroplet(join(dir, 'sshd'));
  const nginx = await startNginx(join(dir, 'nginx'));
  return {
    variables: {
      DEPLOY_HOST: droplet.host,
      DEPLOY_SSH_PORT: String(droplet.port),
      SSH_KNOWN_HOSTS: droplet.knownHosts,
      SSH_PRIVATE_KEY_FILE: droplet.privateKeyFile,
      DEPLOY_STATE_DIR: join(dir, 'state'),
      DEPLOY_NGINX_CONF_DIR: nginx.confDir,
      DEPLOY_NGINX: nginx.command,
    },
    scratch: dir,
    stop: async () => {
      await nginx.stop();
      await droplet.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe('the child pipeline the build job writes', () => {
  let lab: PipelineLab;
  /** The project's own registry (GitLab's, with the job token), and one standing for Docker Hub. */
  let gitlab: Registry;
  let hub: Registry;
  let baseImage: string;

  /**
   * Runs the root pipeline's build job (and what it needs) for a change, then lists the child pipeline it wrote;
   * with `ship`, then runs those child jobs (and the ones they need) in the same checkout, as GitLab would.
   */
  const childPipelineOf = (changeName: string, variables: Variables, ship?: Ship) =>
    lab.inCheckoutOf(changeName, async (checkout) => {
      const build = await checkout.gitlabCiLocal(['build', '--needs', '--force-shell-executor'], { ...variables, ...(ship && { DOCKER_ENGINE: 'runner' }) });
      expect(build.code, endOf(build)).toBe(0);
      // The child pipeline's jobs run the tools from build's artifacts: they install nothing.
      for (const bundle of ['docker.mjs', 'deploy.mjs']) expect(existsSync(join(checkout.dir, buildArtifacts, 'dist/tools', bundle)), bundle).toBe(true);
      const childVariables: Variables = { ...variables, CI_PIPELINE_SOURCE: 'parent_pipeline', PARENT_PIPELINE_ID: '1001' };
      const preview = await checkout.gitlabCiLocal(['--preview', '--json-schema-validation', '--file', childPipelineFile], childVariables);
      expect(preview.code, preview.stderr).toBe(0);
      expect(preview.stderr).toContain('json schema validated');
      const jobs = await listJobs(checkout, ['--file', childPipelineFile], childVariables);
      const expanded = parse(preview.stdout) as Record<string, ExpandedJob>;
      // needs: pipeline (the build job's bundles) is GitLab's alone; here build left them in this same checkout.
      const runChild = (args: string[], variables: Variables = {}) =>
        checkout.gitlabCiLocal(['--file', childPipelineFile, '--force-shell-executor', ...args], { ...childVariables, ...ship?.variables, ...variables });
      const manual = (ship?.manual ?? []).flatMap((job) => ['--manual', job]);
      const shipped = ship && (await runChild(['--needs', ...manual, ...ship.jobs]));
      const kept = (file: string) => readFileSync(join(checkout.dir, file), 'utf8');
      const handedOn = (file: string) => parseEnv(kept(file));
      /** Runs one child job again, as the retry button does: with the reports of the jobs it needs from this run. */
      const retry = (job: string, variables: Variables) => runChild(['--manual', job, job], variables);
      return { log: build.stdout, jobs, expanded, plan: planOf(jobs), shipped, handedOn, kept, retry };
    });

  /** What GitLab gives every job of the project, merge requests' included: its registry, with the job token. */
  const projectRegistry = (): Variables => ({
    CI_REGISTRY: gitlab.address,
    CI_REGISTRY_IMAGE: `${gitlab.address}/acme/fastify-services`,
    CI_REGISTRY_USER: gitlab.username,
    CI_REGISTRY_PASSWORD: gitlab.password,
    // The local base image: nothing is pulled from the internet.
    NODE_IMAGE: baseImage,
  });
  /** Protected CI/CD variables: GitLab sets them only in pipelines of protected refs. */
  const dockerHub = (): Variables => ({ DOCKER_HUB_REGISTRY: hub.address, DOCKER_HUB_USER: 'pipeline-hub', DOCKER_HUB_TOKEN: hub.password });

  /** The jobs gitlab-ci-local ran, in order, and what each took, e.g. `weather:image 21 s`: the pipeline's timings. */
  function ranJobs(run: Run): string[] {
    return [...`${run.stdout}${run.stderr}`.matchAll(/^(\S*:\S+)\s+finished in ([\d.]+ \w+)/gm)].map(([, job = '', took = '']) => `${job} ${took}`);
  }
  /** What a scenario printed: each job and its time, the wall time of the whole child pipeline, and how a release copied its blobs. */
  const timings = (run: Run) => {
    const output = `${run.stdout}${run.stderr}`;
    const wall = /^pipeline finished in (.+)$/m.exec(output)?.[1];
    const released = [...output.matchAll(/blobs: (\d+ uploaded, \d+ mounted, \d+ already there)/g)].map(([, blobs]) => blobs);
    return `${ranJobs(run).join(', ')}${wall ? `; wall ${wall}` : ''}${released.length > 0 ? `; released blobs: ${released.join('; ')}` : ''}`;
  };

  /** Checks that the child jobs all passed, in this order, prints their timings, and gives the digest image handed on. */
  function testedDigest(scenario: string, shipped: Run | undefined, jobs: string[], handedOn: (file: string) => NodeJS.Dict<string>): string {
    if (!shipped) throw new Error('the child jobs did not run');
    // gitlab-ci-local's summary keeps each failed job's last lines: the line that says why may be further up.
    const why = `${shipped.stdout}${shipped.stderr}`.split('\n').filter((line) => /fatal|failed!|error/i.test(line));
    expect(shipped.code, `${why.slice(0, 20).join('\n')}\n…\n${endOf(shipped)}`).toBe(0);
    console.log(`${scenario}: ${timings(shipped)}`);
    expect(ranJobs(shipped).map((job) => job.split(' ')[0])).toEqual(jobs);
    return (handedOn('image.env').TESTED_IMAGE ?? '').split('@')[1] ?? '';
  }
  /** Every job of a service's release to production, in pipeline order. */
  const toProduction = (service: string) => ['image', 'test-image', 'release', 'deploy:production', 'smoke:production'].map((job) => `${service}:${job}`);
  /** What GitLab sets in the pipeline of a push to the protected default branch. */
  const defaultBranchPush = (): Variables => ({ CI_COMMIT_BRANCH: 'main', CI_COMMIT_REF_PROTECTED: 'true', CI_COMMIT_BEFORE_SHA: lab.mainSha });

  /** The services of the sandbox (projects tagged type:service with a Dockerfile) and their recorded deploy target. */
  function services(): Map<string, string> {
    const found = new Map<string, string>();
    const apps = join(lab.sandbox.dir, 'apps');
    for (const app of readdirSync(apps)) {
      const projectFile = join(apps, app, 'project.json');
      if (!existsSync(projectFile) || !existsSync(join(apps, app, 'Dockerfile'))) continue;
      const project = JSON.parse(readFileSync(projectFile, 'utf8')) as { name: string; tags?: string[]; metadata?: { service?: { deploy?: string } } };
      if (project.tags?.includes('type:service')) found.set(project.name, project.metadata?.service?.deploy ?? 'none');
    }
    return found;
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
    const docker = await connectEngine();
    await Promise.all([removeSuiteImages(docker), removeDeployedContainers(docker)]);
    [gitlab, hub, baseImage] = await Promise.all([startRegistry(), startRegistry({ username: 'pipeline-hub' }), ensureBaseImage(docker).then(({ name }) => name)]);
    lab = await PipelineLab.open();
    // Each service's own settings file: a template-owned file would also fail the generator's drift test.
    await lab.change('weather-only', ['apps/weather/src/options.ts']);
    await lab.change('weather-next', ['apps/weather/src/options.ts']);
    await lab.change('fibonacci-only', ['apps/fibonacci/src/options.ts']);
    await lab.change('docs-only', ['README.md']);
    await lab.change('docs-checks-only', ['docs/test/anchors.ts']);
    // Its own port: the sample services' deployments use theirs on the same loopback droplet.
    await lab.scaffold('orders-scaffolded', ['orders', '--defaults', '--port', '3100', '--registry', 'dockerhub', '--deploy', 'droplet']);
    await lab.scaffold('reviewed-scaffolded', ['reviewed', '--defaults', '--port', '3200', '--deploy', 'droplet', '--review-apps']);
  });

  afterAll(async () => {
    const docker = new Docker();
    await removeDeployedContainers(docker);
    await removeSuiteImages(docker);
    await Promise.all([lab.remove(), gitlab.stop(), hub.stop()]);
  });

  // The root pipeline's own lint and test jobs, run for real (shell executor); the build job runs in every scenario below.
  describe.concurrent("the root pipeline's jobs", () => {
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
        const result = await lab.sandbox.gitlabCiLocal(['--file', '.cache-probe.yml', '--shell-isolation', '--force-shell-executor', 'cache-probe'], variables);
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

    // The lint and test jobs run every affected project's whole suite. A change to the docs' own checks, which no
    // project depends on, keeps that the smallest there is (a change to a service would also run the generator's
    // suite, which renders every service): this proves the jobs, while the projects' suites are proven by npm test.
    it('lint, secret-scan and test really run, for the affected projects only, and leave JUnit and Cobertura reports', async () => {
      await lab.inCheckoutOf('docs-checks-only', async (checkout) => {
        const result = await checkout.gitlabCiLocal(['lint', 'secret-scan', 'test', '--needs', '--force-shell-executor'], lab.mergeRequest());
        expect(result.code, endOf(result)).toBe(0);
        // Nx colours its output even into a pipe; the job log keeps the colours, the assertions read the text.
        const log = stripVTControlCharacters(result.stdout);
        expect(log).toContain(`no secret in 1 text files of the change since ${lab.mainSha.slice(0, 12)}`);
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

    it('the secret-scan job fails on a token the change commits, naming the file and rule, never the value', async () => {
      await lab.inCheckoutOf('docs-only', async (checkout) => {
        const token = plantedGitLabToken();
        await checkout.write('apps/weather/deploy-notes.md', `Deploy with:\nGITLAB_TOKEN=${token}\n`);
        await checkout.commitAll('a token committed by mistake');
        const result = await checkout.gitlabCiLocal(['secret-scan', '--needs', '--force-shell-executor'], lab.mergeRequest());
        expect(result.code).not.toBe(0);
        const log = stripVTControlCharacters(result.stdout + result.stderr);
        expect(log).toMatch(/apps\/weather\/deploy-notes\.md:2:14 {2}@secretlint\/secretlint-rule-gitlab {2}found GitLab Personal Access Token: \*+/);
        expect(log).toMatch(/1 secret in 2 text files of the change since/);
        expect(log).not.toContain(token.slice(6));
      });
    });
  });

  // Which projects a change affects is Nx's answer (affected-projects.test.ts asks it for shared code); these prove
  // that the jobs hand the right base on and write the child pipeline that GitLab runs.
  describe.concurrent('merge request pipelines ship only the services a change touches', () => {
    it('a change to apps/weather only: weather image jobs only, nothing released; its image is built, pushed to the project registry and tested, with no protected variable', async () => {
      const ship = { jobs: ['weather:test-image'], variables: projectRegistry() };
      const { log, plan, shipped, handedOn } = await childPipelineOf('weather-only', lab.mergeRequest(), ship);
      expect(log).toContain(`affected: since ${lab.mainSha}`);
      expect(plan).toEqual({ weather: imagePlan('weather') });
      const digest = testedDigest('merge request, weather', shipped, ['weather:image', 'weather:test-image'], handedOn);
      // The image job hands the image on by digest (a dotenv report), and the project registry serves that digest.
      const { TESTED_IMAGE = '' } = handedOn('image.env');
      expect(TESTED_IMAGE).toBe(`${gitlab.address}/acme/fastify-services/weather@${digest}`);
      expect(await gitlab.servedDigest('acme/fastify-services/weather', digest)).toBe(digest);
      // test-image ran that digest, not a tag that may have moved since.
      expect(shipped?.stdout).toContain(`running ${TESTED_IMAGE} as user`);

      // The next merge request's push finds the base layer in the registry, as every one after a service's first
      // does on GitLab: only the service's own layers are uploaded. Its timings are the warm pipeline's.
      const next = await childPipelineOf('weather-next', lab.mergeRequest(), ship);
      testedDigest('merge request, weather, base layer already in the registry', next.shipped, ['weather:image', 'weather:test-image'], next.handedOn);
      expect(next.shipped?.stdout).toMatch(/: Layer already exists$/m);
    });

    it('a merge request adding a service scaffolded with --review-apps: its review app after test-image, and the job that stops it', async () => {
      const { plan, expanded } = await childPipelineOf('reviewed-scaffolded', lab.mergeRequest());
      expect(plan).toEqual({ reviewed: { ...imagePlan('reviewed'), deploy: ['reviewed:review', 'reviewed:stop-review'] } });
      const environment = 'review/$CI_COMMIT_REF_SLUG/reviewed';
      expect(expanded['reviewed:review']?.environment).toEqual({ name: environment, url: '$DEPLOY_URL', on_stop: 'reviewed:stop-review', auto_stop_in: '1 week' });
      expect(expanded['reviewed:stop-review']?.environment).toEqual({ name: environment, action: 'stop' });
    });

    it('a change that touches no project: one no-op job, since GitLab refuses an empty child pipeline', async () => {
      const { jobs } = await childPipelineOf('docs-only', lab.mergeRequest());
      expect(jobs.map((job) => job.name)).toEqual(['no-service-affected']);
    });
  });

  describe.concurrent('default branch and tag pipelines', () => {
    let host: Awaited<ReturnType<typeof startLoopbackHost>>;
    beforeAll(async () => {
      host = await startLoopbackHost();
    });
    afterAll(() => host.stop());

    /** Every variable a protected ref's deploy gets: both registries' credentials, and the droplet's. */
    const production = (): Variables => ({ ...projectRegistry(), ...dockerHub(), ...host.variables });

    /** The deploy the job left at DEPLOY_URL (its dotenv report): what the smoke job checked, asked again here. */
    const deployedVersion = async (url: string) => ((await (await fetch(`${url}/docs/json`)).json()) as { info: { version: string } }).info.version;
    // GitLab sets CI_COMMIT_REF_PROTECTED for a protected branch or tag: release and deploy run on those only.
    it('a push to protected main since CI_COMMIT_BEFORE_SHA releases the touched service, with a manual, guarded production deploy', async () => {
      const variables: Variables = { ...defaultBranchPush(), CI_COMMIT_REF_NAME: 'main' };
      const ship = {
        jobs: ['fibonacci:smoke:production'],
        manual: ['fibonacci:deploy:production'],
        variables: production(),
      };
      const { log, jobs, expanded, plan, shipped, kept, handedOn } = await childPipelineOf('fibonacci-only', variables, ship);
      expect(log).toContain('GITLAB_TOKEN is not set');
      expect(log).toContain(`affected: since ${lab.mainSha}`);
      expect(plan).toEqual({ fibonacci: releasePlan('fibonacci') });
      const deploys = jobs.filter((job) => job.stage === 'deploy');
      expect(deploys).toHaveLength(1);
      for (const deploy of deploys) {
        expect(deploy).toMatchObject({ when: 'manual', allow_failure: true });
        expect(expanded[deploy.name]).toMatchObject({ environment: { name: 'production/fibonacci', url: '$DEPLOY_URL' }, resource_group: 'fibonacci-production' });
      }
      // fibonacci records registry dockerhub: the release copies the tested digest there, not a rebuild.
      const tested = testedDigest('default branch, fibonacci', shipped, toProduction('fibonacci'), handedOn);
      expect(await hub.servedDigest('pipeline-hub/fibonacci', 'latest')).toBe(tested);
      // What the deploy job pulls, by the Ansible playbook, with Docker Hub's credentials: the released tag, pinned to the tested digest.
      expect(handedOn('release.env').RELEASED_IMAGE).toBe(`${hub.address}/pipeline-hub/fibonacci:latest@${tested}`);
      // The release job's artifact: the provenance of that very digest, from this commit, by the schema.
      const provenance = JSON.parse(kept('provenance.intoto.json')) as ProvenanceStatement;
      expect(provenanceErrors(provenance)).toBeUndefined();
      expect(provenance.subject).toEqual([{ name: `${hub.address}/pipeline-hub/fibonacci`, digest: { sha256: tested.slice('sha256:'.length) } }]);
      expect(provenance.predicate.buildDefinition.resolvedDependencies[0]?.digest).toEqual({ gitCommit: await lab.sandbox.git('rev-parse', 'fibonacci-only') });
      // And its bare predicate, which the sign job attests as it is.
      expect(JSON.parse(kept('provenance.predicate.json'))).toEqual(provenance.predicate);
      const { DEPLOY_URL = '' } = handedOn('deploy.env');
      expect(DEPLOY_URL).toBe('http://127.0.0.1:3000');
      expect(await deployedVersion(DEPLOY_URL)).toMatch(/^0\.0\.0-dev\+[0-9a-f]{12}$/);
    });

    it('a push to protected main touching weather (GitLab registry, droplet): released, deployed by hand, smoke-tested at its URL', async () => {
      const ship = {
        jobs: ['weather:smoke:production'],
        manual: ['weather:deploy:production'],
        variables: production(),
      };
      const { plan, shipped, handedOn, retry } = await childPipelineOf('weather-only', defaultBranchPush(), ship);
      expect(plan).toEqual({ weather: releasePlan('weather') });
      const tested = testedDigest('default branch, weather', shipped, toProduction('weather'), handedOn);
      expect(await gitlab.servedDigest('acme/fastify-services/weather', 'latest')).toBe(tested);
      // The droplet pulled from the project registry (htpasswd: only its own password lets it), and no job printed a secret.
      for (const secret of [gitlab.password, hub.password, readFileSync(host.variables.SSH_PRIVATE_KEY_FILE ?? '', 'utf8').trim()]) {
        expect(`${shipped?.stdout ?? ''}${shipped?.stderr ?? ''}`).not.toContain(secret);
      }
      const { DEPLOY_URL = '' } = handedOn('deploy.env');
      expect(DEPLOY_URL).toBe('http://127.0.0.1:3001');
      expect(await deployedVersion(DEPLOY_URL)).toMatch(/^0\.0\.0-dev\+[0-9a-f]{12}$/);

      // The deploy again, with a production setting the service refuses at start (DEPLOY_ENV_FILE, a File
      // variable): the new container exits, the job fails saying why, and the live version keeps serving.
      const badSettings = join(host.scratch, 'weather.env');
      writeFileSync(badSettings, 'TRUST_PROXY=everyone\n');
      const refused = await retry('weather:deploy:production', { DEPLOY_ENV_FILE: badSettings });
      console.log(`default branch, weather, a setting it refuses: ${timings(refused)}`);
      const said = refused.stdout + refused.stderr;
      expect(said).toMatch(/weather-(blue|green) \(.+\) did not get healthy/);
      expect(said).toContain('the version that was live keeps serving');
      expect(said).toContain('TRUST_PROXY must be none');
      expect((await fetch(`${DEPLOY_URL}/health`)).status).toBe(200);
      // The host kept the environment the live version runs with, not the refused one: the next deploy starts.
      const again = await retry('weather:deploy:production', {});
      expect(again.stdout, endOf(again)).toMatch(/weather: .+ is live on port 3001/);
    });

    it('a push to protected main adding a service scaffolded by yo (Docker Hub, droplet): shipped unedited, the same way', async () => {
      const ship = { jobs: ['orders:smoke:production'], manual: ['orders:deploy:production'], variables: production() };
      const { plan, shipped, handedOn, kept } = await childPipelineOf('orders-scaffolded', defaultBranchPush(), ship);
      expect(plan).toEqual({ orders: releasePlan('orders') });
      const tested = testedDigest('default branch, a scaffolded service', shipped, toProduction('orders'), handedOn);
      expect(await hub.servedDigest('pipeline-hub/orders', 'latest')).toBe(tested);
      // Its image job kept the image's SBOM as the cyclonedx report: the image, its Node, the scaffolded code's packages.
      const sbom = JSON.parse(kept('gl-sbom-orders.cdx.json')) as { metadata: object; components: object[] };
      expect(sbom.metadata).toMatchObject({ component: { type: 'container', name: `${gitlab.address}/acme/fastify-services/orders` } });
      expect(sbom.components).toContainEqual(expect.objectContaining({ type: 'platform', name: 'node' }));
      expect(sbom.components).toContainEqual(expect.objectContaining({ type: 'library', name: 'fastify' }));
      expect(handedOn('deploy.env').DEPLOY_URL).toBe('http://127.0.0.1:3100');
      expect((await fetch('http://127.0.0.1:3100/health')).status).toBe(200);
    });

    it('a protected release tag builds and releases every service, as its semver tags', async () => {
      const variables: Variables = { CI_COMMIT_TAG: 'v1.2.3', CI_COMMIT_BRANCH: null, CI_COMMIT_REF_PROTECTED: 'true' };
      const ship = { jobs: ['fibonacci:release'], variables: { ...projectRegistry(), ...dockerHub() } };
      const { log, plan, shipped, handedOn } = await childPipelineOf('docs-only', variables, ship);
      expect(log).toContain('affected: everything');
      expect(plan).toEqual(everyService(releasePlan));
      const tested = testedDigest('tag v1.2.3, fibonacci', shipped, ['fibonacci:image', 'fibonacci:test-image', 'fibonacci:release'], handedOn);
      for (const tag of ['1.2.3', '1.2', '1']) expect(await hub.servedDigest('pipeline-hub/fibonacci', tag), tag).toBe(tested);
    });
  });
});

/** What a child pipeline runs, service by service and stage by stage (job names starting `<service>:`). */
function planOf(jobs: ListedJob[]): Record<string, Record<string, string[]>> {
  const plan: Record<string, Record<string, string[]>> = {};
  for (const job of jobs.filter(({ when }) => when !== 'never')) {
    const [service = job.name] = job.name.split(':');
    ((plan[service] ??= {})[job.stage] ??= []).push(job.name);
  }
  return plan;
}
