import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@nx/devkit';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CREDENTIAL_VARIABLES } from '../tools/docker/lib/credentials.ts';
import { followStream } from '../tools/docker/lib/daemon-stream.ts';
import { formatBytes, formatSeconds } from '../tools/docker/lib/format.ts';
import { loadServices, type Service } from '../tools/docker/lib/services.ts';
import { startRegistry, type Registry } from '../tools/docker/testing/registry.ts';
import { removeImages } from '../tools/docker/testing/remove-images.ts';
import { runCli } from '../tools/docker/testing/run-cli.ts';
import { cyclonedxSchemaErrors } from '../tools/build/testing/cyclonedx-schema.ts';
import { readImageFile } from './support/image-file.ts';
import { startServiceContainer } from './support/service-container.ts';

// Discovered like the CLI does (Nx projects with a Dockerfile), so a new service is tested without listing it here.
const services = await loadServices(workspaceRoot);
const docker = new Docker();
const baseImage = inject('baseImage');
const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: workspaceRoot, encoding: 'utf8' }).trim();
const devVersion = `0.0.0-dev+${sha.slice(0, 12)}`;
const wrongPassword = randomBytes(12).toString('base64url');

/** The project's own registry (GitLab's, where the image job pushes), and a second one standing for Docker Hub. */
let registry: Registry;
let hub: Registry;
/** Everything the CLI printed and the containers logged: no secret may be in any of it. */
const printed: string[] = [];
const measured: { name: string; buildMs: number; size: number }[] = [];

/** The CLI as a GitLab job would run it, with the loopback registry standing in for the real one. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = await runCli(args, {
    IMAGE_REPOSITORY: `${registry.address}/e2e`,
    NODE_IMAGE: baseImage.name,
    CI_COMMIT_SHA: sha,
    CI_COMMIT_REF_SLUG: 'e2e',
    CI_COMMIT_TAG: '',
    CI_REGISTRY_USER: registry.username,
    CI_REGISTRY_PASSWORD: registry.password,
    DOCKER_HUB_USER: registry.username,
    DOCKER_HUB_TOKEN: registry.password,
    ...env,
  });
  printed.push(run.stdout, run.stderr);
  return run;
}

async function pull(reference: string, auth?: Docker.AuthConfig): Promise<void> {
  await followStream(docker, await docker.pull(reference, auth ? { authconfig: auth } : {}), () => undefined, `pulling ${reference}`);
}

beforeAll(async () => {
  registry = await startRegistry();
  hub = await startRegistry();
});

afterAll(async () => {
  for (const service of services) await removeImages(docker, [`${registry.address}/e2e/${service.name}`, `${hub.address}/e2e-hub/${service.name}`]);
  await registry.stop();
  await hub.stop();
  console.log(
    [
      `e2e image sizes (base ${baseImage.name}: ${formatBytes(baseImage.size)})`,
      ...measured.map(({ name, buildMs, size }) => `  ${name}: ${formatBytes(size)}, ${formatBytes(size - baseImage.size)} over the base, built in ${formatSeconds(buildMs)}`),
    ].join('\n'),
  );
});

it('finds the services to test (projects with a Dockerfile)', () => {
  expect(services.map((service) => service.name)).toContain('fibonacci');
});

async function tagsOf(at: Registry, name: string): Promise<string[]> {
  return (((await (await at.api(`/v2/${name}/tags/list`)).json()) as { tags: string[] }).tags).sort();
}

describe.each(services)('the $name image', (service: Service) => {
  const repository = () => `${registry.address}/e2e/${service.name}`;
  const reference = () => `${repository()}:${sha}`;
  const registryKind = service.registry ?? 'gitlab';
  const auth = () => ({ username: registry.username, password: registry.password, serveraddress: registry.address });
  let pushedDigest: string;

  it('builds on the local Node 24 base with OCI labels, adding at most 10 MB to it', async () => {
    const started = performance.now();
    const build = await cli(['build', '--project', service.name]);
    const buildMs = performance.now() - started;
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/^Step \d+\/\d+ : COPY/m);
    // The OCI labels are one step of the build, not one step each (the engine API's labels).
    expect(build.stdout.match(/^Step \d+\/\d+ : LABEL org\.opencontainers\.image\./gm)).toHaveLength(1);
    expect(build.stdout).toContain(`built ${reference()}`);

    const image = await docker.getImage(reference()).inspect();
    const base = await docker.getImage(baseImage.name).inspect();
    // A branch's tag is prefixed, so no branch name can write a release's tag.
    expect((await docker.getImage(`${repository()}:branch-e2e`).inspect()).Id).toBe(image.Id);
    expect(image.RootFS.Layers?.[0]).toBe(base.RootFS.Layers?.[0]);
    expect(image.Config.User).toBe('1000:1000');
    expect(image.Config.Env).toContain(`SERVICE_VERSION=${devVersion}`);
    expect(image.Config.Labels).toMatchObject({
      'org.opencontainers.image.title': service.name,
      'org.opencontainers.image.revision': sha,
      'org.opencontainers.image.version': devVersion,
      'org.opencontainers.image.base.name': baseImage.name,
      'org.opencontainers.image.licenses': 'MIT',
    });
    expect(image.Size - base.Size).toBeLessThanOrEqual(10_000_000);
    measured.push({ name: service.name, buildMs, size: image.Size });
  });

  it('holds its CycloneDX SBOM where its label says, the same file the pipeline keeps: base by digest, Node, bundled packages', async () => {
    const kept = join(await mkdtemp(join(tmpdir(), 'sbom-')), `gl-sbom-${service.name}.cdx.json`);
    const build = await cli(['build', '--project', service.name, '--sbom', kept]);
    expect(build.code, build.stderr).toBe(0);
    const { Config } = await docker.getImage(reference()).inspect();
    const path = Config.Labels['io.fastify-gitlab.sbom'] ?? expect.fail('no io.fastify-gitlab.sbom label');
    expect(path).toBe('/app/sbom.cdx.json');
    const inImage = await readImageFile(docker, reference(), path);
    expect(inImage).toBe(await readFile(kept, 'utf8'));
    expect(await cyclonedxSchemaErrors(inImage)).toBeNull();

    const sbom = JSON.parse(inImage) as { metadata: { component: object }; components: object[] };
    expect(sbom.metadata.component).toMatchObject({ type: 'container', name: repository(), version: devVersion });
    // The local base came from no registry: its digest is its image id, and no base.digest label claims otherwise.
    const base = await docker.getImage(baseImage.name).inspect();
    expect(sbom.components).toContainEqual(expect.objectContaining({ type: 'container', name: 'local/node', version: base.Id }));
    expect(Config.Labels).not.toHaveProperty('org.opencontainers.image.base.digest');
    expect(sbom.components).toContainEqual(expect.objectContaining({ type: 'platform', name: 'node', version: baseImage.nodeVersion }));
    expect(sbom.components).toContainEqual(expect.objectContaining({ type: 'application', name: service.name, version: devVersion }));
    expect(sbom.components).toContainEqual(expect.objectContaining({ type: 'library', name: 'fastify', licenses: [{ license: { id: 'MIT' } }] }));
  });

  it(`runs as uid 1000, turns healthy and answers /health, /api/ping and ${service.smokePath}`, async () => {
    const container = await startServiceContainer(docker, reference());
    try {
      await container.healthy();
      expect(await container.uid()).toBe(1000);
      const health = await fetch(`${container.url}/health`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
      const ping = await fetch(`${container.url}/api/ping`);
      expect([ping.status, await ping.json()]).toEqual([200, { ping: 'pong' }]);
      const real = await fetch(`${container.url}${service.smokePath}`);
      expect(real.status, await real.text()).toBe(200);
    } finally {
      printed.push(await container.logs());
      await container.remove();
    }
  });

  it('passes the smoke command, which leaves no container behind', async () => {
    const smoke = await cli(['smoke', '--project', service.name]);
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(0);
    expect(smoke.stdout).toMatch(/^healthy after \d+\.\d s$/m);
    expect(smoke.stdout).toMatch(/^GET \/health → 200 \{"status":"ok"\}$/m);
    expect(smoke.stdout).toContain(`GET ${service.smokePath} → 200 `);
    expect(await docker.listContainers({ all: true, filters: { name: [`smoke-${service.name}-`] } })).toEqual([]);
  });

  it('fails the smoke command on an endpoint that is not 2xx, printing the logs, and still cleans up', async () => {
    const smoke = await cli(['smoke', '--project', service.name, '--path', '/no/such/route']);
    expect(smoke.code).toBe(1);
    expect(smoke.stdout).toContain('GET /no/such/route → 404');
    expect(smoke.stdout).toContain('last log lines of the container');
    expect(smoke.stderr).toContain(`smoke test of ${reference()} failed: GET /no/such/route answered 404`);
    expect(await docker.listContainers({ all: true, filters: { name: [`smoke-${service.name}-`] } })).toEqual([]);
  });

  it('is pushed with auth, handed on by digest, refused to an anonymous pull, and pulled back by digest', async () => {
    const dotenv = join(await mkdtemp(join(tmpdir(), 'image-')), 'image.env');
    const push = await cli(['push', '--project', service.name, '--registry', 'gitlab', '--dotenv', dotenv]);
    expect(push.code, push.stderr).toBe(0);
    const digest = new RegExp(`^pushed ${reference().replaceAll('.', '\\.')}@(sha256:[0-9a-f]{64})$`, 'm').exec(push.stdout)?.[1];
    expect(digest, push.stdout).toBeDefined();
    pushedDigest = digest ?? '';
    expect(await readFile(dotenv, 'utf8')).toBe(`TESTED_IMAGE=${repository()}@${pushedDigest}\n`);
    // A branch's tags only: latest and the semver tags are the release's to write.
    expect(await tagsOf(registry, `e2e/${service.name}`)).toEqual([sha, 'branch-e2e'].sort());

    const { Id } = await docker.getImage(reference()).inspect();
    await docker.getImage(Id).remove({ force: true });
    const byDigest = `${repository()}@${pushedDigest}`;
    await expect(pull(byDigest)).rejects.toThrow(/no basic auth credentials|unauthorized/);
    await pull(byDigest, auth());
    const pulled = await docker.getImage(byDigest).inspect();
    expect(pulled.Id).toBe(Id);
    expect(pulled.RepoDigests).toContain(byDigest);
    await docker.getImage(byDigest).tag({ repo: repository(), tag: sha });
  });

  it('passes the smoke command run on the image pinned by digest, as the test-image job runs it', async () => {
    const smoke = await cli(['smoke', '--project', service.name, '--registry', 'gitlab', '--image', `${repository()}@${pushedDigest}`]);
    expect(smoke.code, smoke.stderr).toBe(0);
    expect(smoke.stdout).toContain(`running ${repository()}@${pushedDigest} as user 1000`);
  });

  it("is released from the project's registry to Docker Hub's, not rebuilt: latest there serves the tested digest", async () => {
    const dotenv = join(await mkdtemp(join(tmpdir(), 'release-')), 'release.env');
    const hubRepository = `${hub.address}/e2e-hub/${service.name}`;
    // What the release job has: the job token for the project's registry, the protected Docker Hub token for the other.
    const release = await cli(['release', '--project', service.name, '--registry', 'dockerhub', '--image', `${repository()}@${pushedDigest}`, '--dotenv', dotenv], {
      IMAGE_REPOSITORY: '',
      CI_REGISTRY_IMAGE: `${registry.address}/e2e`,
      DOCKER_HUB_REGISTRY: hub.address,
      DOCKER_HUB_NAMESPACE: 'e2e-hub',
      DOCKER_HUB_USER: hub.username,
      DOCKER_HUB_TOKEN: hub.password,
      // Nothing listens there: the release copies registry to registry and needs no Docker engine.
      DOCKER_HOST: 'tcp://127.0.0.1:9',
    });
    expect(release.code, release.stderr).toBe(0);
    expect(release.stdout).toContain(`released ${hubRepository}:latest = ${repository()}@${pushedDigest} (${pushedDigest}), not rebuilt`);
    expect(await readFile(dotenv, 'utf8')).toBe(`RELEASED_IMAGE=${hubRepository}:latest@${pushedDigest}\n`);
    expect(await tagsOf(hub, `e2e-hub/${service.name}`)).toEqual(['latest']);
    expect(await hub.servedDigest(`e2e-hub/${service.name}`, 'latest')).toBe(pushedDigest);
  });

  it('is released by a release tag as its semver tags, in the same registry, leaving latest alone', async () => {
    const release = await cli(['release', '--project', service.name, '--registry', 'gitlab', '--image', `${repository()}@${pushedDigest}`], { CI_COMMIT_TAG: 'v1.2.3' });
    expect(release.code, release.stderr).toBe(0);
    expect(release.stdout).toMatch(/blobs: 0 uploaded, 0 mounted, \d+ already there/);
    expect(await tagsOf(registry, `e2e/${service.name}`)).toEqual([sha, 'branch-e2e', '1.2.3', '1.2', '1'].sort());
    for (const tag of ['1.2.3', '1.2', '1']) expect(await registry.servedDigest(`e2e/${service.name}`, tag)).toBe(pushedDigest);
  });

  it('releases nothing for a git tag that is not v<semver>, saying so', async () => {
    const release = await cli(['release', '--project', service.name, '--registry', 'gitlab', '--image', `${repository()}@${pushedDigest}`], { CI_COMMIT_TAG: '1.2.4' });
    expect(release).toMatchObject({ code: 1, stderr: 'tools/docker release: git tag "1.2.4" is not a release tag (v<semver>, e.g. v1.2.3): nothing is released\n' });
  });

  it('refuses a wrong password with a message naming the variables, never a value', async () => {
    const { user, password } = CREDENTIAL_VARIABLES[registryKind];
    const push = await cli(['push', '--project', service.name, '--registry', registryKind], { [password]: wrongPassword });
    expect(push.code).toBe(1);
    expect(push.stderr).toContain(`tools/docker push: the registry ${registry.address} refused the credentials in ${user}/${password}:`);
    expect(push.stderr).toContain('401 Unauthorized');
  });

  it('releases nothing with a wrong password, naming the registry and the variables, never a value', async () => {
    const { user, password } = CREDENTIAL_VARIABLES.gitlab;
    const release = await cli(['release', '--project', service.name, '--registry', 'gitlab', '--image', `${repository()}@${pushedDigest}`], { [password]: wrongPassword });
    expect(release).toMatchObject({ code: 1, stderr: `tools/docker release: the registry ${registry.address} refused the credentials in ${user}/${password}: HTTP 401\n` });
  });

  it('keeps every secret out of its history, environment, labels and logs, and out of what the CLI printed', async () => {
    const image = await docker.getImage(reference()).inspect();
    const history = (await docker.getImage(reference()).history()) as unknown[];
    const haystack = [JSON.stringify(history), JSON.stringify(image.Config), ...printed].join('\n');
    expect(printed.length).toBeGreaterThan(0);
    for (const secret of [registry.password, hub.password, wrongPassword]) expect(haystack).not.toContain(secret);
    const secretNames = Object.values(CREDENTIAL_VARIABLES).map(({ password }) => `${password}=`);
    expect(image.Config.Env.filter((entry) => secretNames.some((name) => entry.startsWith(name)))).toEqual([]);
  });
});

it('names a base image that came from a registry by the digest the registry serves, in the SBOM and the base.digest label', async () => {
  const [service = expect.fail('no service')] = services;
  const base = `${registry.address}/base/node:24`;
  const built = `${registry.address}/e2e-base/${service.name}:${sha}`;
  await docker.getImage(baseImage.name).tag({ repo: `${registry.address}/base/node`, tag: '24' });
  try {
    const authconfig = { username: registry.username, password: registry.password, serveraddress: registry.address };
    const { digest } = await followStream(docker, await docker.getImage(base).push({ authconfig }), () => undefined, `pushing ${base}`);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const kept = join(await mkdtemp(join(tmpdir(), 'sbom-')), 'sbom.cdx.json');
    const build = await cli(['build', '--project', service.name, '--base-image', base, '--sbom', kept], { IMAGE_REPOSITORY: `${registry.address}/e2e-base` });
    expect(build.code, build.stderr).toBe(0);
    const { Config } = await docker.getImage(built).inspect();
    expect(Config.Labels).toMatchObject({ 'org.opencontainers.image.base.name': base, 'org.opencontainers.image.base.digest': digest });
    const { components } = JSON.parse(await readFile(kept, 'utf8')) as { components: object[] };
    expect(components).toContainEqual(
      expect.objectContaining({ type: 'container', name: `${registry.address}/base/node`, version: digest, purl: `pkg:oci/node@${digest ?? ''}?repository_url=${encodeURIComponent(`${registry.address}/base/node`)}&tag=24` }),
    );
  } finally {
    for (const reference of [base, built, `${registry.address}/e2e-base/${service.name}:branch-e2e`]) await docker.getImage(reference).remove({ force: true }).catch(() => undefined);
  }
});
