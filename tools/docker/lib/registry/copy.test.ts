import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type Registry } from '../../testing/registry.ts';
import type { Credentials } from '../credentials.ts';
import { copyImage } from './copy.ts';
import { registryEndpoint } from './endpoint.ts';
import { MEDIA_TYPES, sha256 } from './manifest.ts';
import { openSession, pullScope, pushScope } from './session.ts';

const credentialsOf = (registry: Registry, from = 'CI_REGISTRY_USER/CI_REGISTRY_PASSWORD'): Credentials => ({
  auth: { username: registry.username, password: registry.password, serveraddress: registry.address },
  from,
});

async function pushBlob(registry: Registry, name: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(bytes);
  const started = await registry.api(`/v2/${name}/blobs/uploads/`, { method: 'POST' });
  const url = new URL(started.headers.get('location') ?? '', `http://${registry.address}`);
  url.searchParams.set('digest', digest);
  const put = await registry.api(url.pathname + url.search, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  expect(put.status).toBe(201);
  return { digest, size: bytes.length };
}

async function pushManifest(registry: Registry, name: string, reference: string, mediaType: string, manifest: object): Promise<string> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const put = await registry.api(`/v2/${name}/manifests/${reference}`, { method: 'PUT', body: bytes, headers: { 'content-type': mediaType } });
  expect(put.status).toBe(201);
  return sha256(bytes);
}

/**
 * An OCI image with a label, as the image job pushes it; by default one random layer, so no two tests share blobs
 * but the config. Two services' images share a base layer.
 */
async function pushImage(registry: Registry, name: string, tag: string, layers = [randomBytes(300_000)]): Promise<string> {
  const config = await pushBlob(registry, name, Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { 'org.opencontainers.image.base.name': 'node:24' } }, rootfs: { type: 'layers', diff_ids: [] } })));
  const pushed = [];
  for (const layer of layers) pushed.push(await pushBlob(registry, name, layer));
  return pushManifest(registry, name, tag, MEDIA_TYPES.ociManifest, {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: pushed.map((layer) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer })),
  });
}

/** A first service released to the hub, then a second one built on the same base: both tested in the project registry. */
async function twoServices(project: Registry, hub: Registry) {
  const base = randomBytes(300_000);
  const fibonacci = await pushImage(project, 'acme/app/fibonacci', 'base', [base, randomBytes(1000)]);
  const orders = await pushImage(project, 'acme/app/orders', 'base', [base, randomBytes(1000)]);
  const released = await copyImage(
    await repositoryIn(project, 'acme/app/fibonacci', [pullScope('acme/app/fibonacci')]),
    await repositoryIn(hub, 'hub/fibonacci', [pushScope('hub/fibonacci')]),
    fibonacci,
    ['latest'],
  );
  expect(released.blobs.uploaded).toBeGreaterThanOrEqual(2);
  return { orders, source: await repositoryIn(project, 'acme/app/orders', [pullScope('acme/app/orders')]) };
}

/** The digest `registry` serves for a tag, asked as a client that takes OCI manifests (the test registry's helper asks for Docker v2 only). */
async function servedDigest(registry: Registry, name: string, tag: string): Promise<string | null> {
  const accept = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.ociIndex].join(', ');
  return (await registry.api(`/v2/${name}/manifests/${tag}`, { method: 'HEAD', headers: { accept } })).headers.get('docker-content-digest');
}

async function repositoryIn(registry: Registry, name: string, scopes: string[]) {
  const endpoint = registryEndpoint(`${registry.address}/${name}`);
  if (endpoint === undefined) throw new Error('a loopback registry has a host');
  return { session: await openSession(endpoint, credentialsOf(registry), scopes), name: endpoint.name };
}

describe('copyImage, between two real registries (htpasswd: Basic auth)', () => {
  let project: Registry;
  let hub: Registry;
  beforeAll(async () => {
    [project, hub] = await Promise.all([startRegistry(), startRegistry({ username: 'hub' })]);
  });
  afterAll(async () => Promise.all([project.stop(), hub.stop()]));

  it('uploads every blob to the other registry, and every tag serves the tested digest; a second copy uploads nothing', async () => {
    const tested = await pushImage(project, 'acme/app/fibonacci', 'abc123');
    const source = await repositoryIn(project, 'acme/app/fibonacci', [pullScope('acme/app/fibonacci')]);
    const target = await repositoryIn(hub, 'hub/fibonacci', [pushScope('hub/fibonacci')]);

    const copied = await copyImage(source, target, tested, ['1.2.3', '1.2', '1']);
    expect(copied).toEqual({ digest: tested, labels: { 'org.opencontainers.image.base.name': 'node:24' }, blobs: { present: 0, mounted: 0, uploaded: 2 } });
    expect(await Promise.all(['1.2.3', '1.2', '1'].map((tag) => servedDigest(hub, 'hub/fibonacci', tag)))).toEqual([tested, tested, tested]);

    expect((await copyImage(source, target, tested, ['latest'])).blobs).toEqual({ present: 2, mounted: 0, uploaded: 0 });
  });

  it('mounts the blobs from the tested repository when the release stays in the same registry', async () => {
    const tested = await pushImage(project, 'acme/app/weather', 'abc123');
    const source = await repositoryIn(project, 'acme/app/weather', [pullScope('acme/app/weather')]);
    const target = await repositoryIn(project, 'acme/weather', [pushScope('acme/weather'), pullScope('acme/app/weather')]);
    expect((await copyImage(source, target, tested, ['latest'])).blobs).toEqual({ present: 0, mounted: 2, uploaded: 0 });
    expect(await servedDigest(project, 'acme/weather', 'latest')).toBe(tested);
  });

  it("mounts from a sibling service's repository in the target registry what it holds (config, base layer), and uploads the rest", async () => {
    const { orders, source } = await twoServices(project, hub);
    const target = { ...(await repositoryIn(hub, 'hub/orders-mounted', [pushScope('hub/orders-mounted')])), siblings: ['hub/weather', 'hub/fibonacci'] };
    expect((await copyImage(source, target, orders, ['latest'])).blobs).toEqual({ present: 0, mounted: 2, uploaded: 1 });
    expect(await servedDigest(hub, 'hub/orders-mounted', 'latest')).toBe(orders);
  });

  it('uploads into the upload a registry opens instead of mounting (202), one upload a blob', async () => {
    const { orders, source } = await twoServices(project, hub);
    const { session, name } = await repositoryIn(hub, 'hub/orders-no-mounts', [pushScope('hub/orders-no-mounts')]);
    let uploadsStarted = 0;
    // As a registry without cross-repository mounts: it takes the POST as a plain upload's start.
    const withoutMounts = (path: string, init?: RequestInit) => {
      const url = new URL(path, session.endpoint.origin);
      if (init?.method === 'POST') uploadsStarted += 1;
      url.searchParams.delete('mount');
      url.searchParams.delete('from');
      return session.request(url.toString(), init);
    };
    const target = { session: { ...session, request: withoutMounts }, name, siblings: ['hub/fibonacci'] };
    expect((await copyImage(source, target, orders, ['latest'])).blobs).toEqual({ present: 0, mounted: 0, uploaded: 3 });
    expect(uploadsStarted).toBe(3);
    expect(await servedDigest(hub, 'hub/orders-no-mounts', 'latest')).toBe(orders);
  });

  it('copies an index with its images, keeping the index digest, and labels from its image', async () => {
    const image = await pushImage(project, 'acme/app/orders', 'image');
    const imageSize = (await (await project.api(`/v2/acme/app/orders/manifests/${image}`, { headers: { accept: MEDIA_TYPES.ociManifest } })).arrayBuffer()).byteLength;
    const index = await pushManifest(project, 'acme/app/orders', 'abc123', MEDIA_TYPES.ociIndex, {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [{ mediaType: MEDIA_TYPES.ociManifest, digest: image, size: imageSize, platform: { os: 'linux', architecture: 'amd64' } }],
    });
    const source = await repositoryIn(project, 'acme/app/orders', [pullScope('acme/app/orders')]);
    const target = await repositoryIn(hub, 'hub/orders', [pushScope('hub/orders')]);
    const copied = await copyImage(source, target, index, ['latest']);
    expect(copied).toMatchObject({ digest: index, labels: { 'org.opencontainers.image.base.name': 'node:24' }, blobs: { uploaded: 2 } });
    expect(await servedDigest(hub, 'hub/orders', 'latest')).toBe(index);
  });

  it('names the registry, repository and HTTP status when the tested digest is not there', async () => {
    const source = await repositoryIn(project, 'acme/app/missing', [pullScope('acme/app/missing')]);
    const target = await repositoryIn(hub, 'hub/missing', [pushScope('hub/missing')]);
    const missing = `sha256:${'0'.repeat(64)}`;
    await expect(copyImage(source, target, missing, ['latest'])).rejects.toThrow(`reading the manifest ${missing} in ${project.address}/acme/app/missing failed: HTTP 404`);
  });

  it('refuses wrong credentials naming the variables they came from, never the password', async () => {
    const endpoint = registryEndpoint(`${hub.address}/hub/fibonacci`);
    if (endpoint === undefined) throw new Error('a loopback registry has a host');
    const wrong = { auth: { username: 'hub', password: 'not-the-password', serveraddress: hub.address }, from: 'DOCKER_HUB_USER/DOCKER_HUB_TOKEN' };
    const refusal = openSession(endpoint, wrong, [pushScope('hub/fibonacci')]);
    await expect(refusal).rejects.toThrow(`the registry ${hub.address} refused the credentials in DOCKER_HUB_USER/DOCKER_HUB_TOKEN: HTTP 401`);
    await expect(refusal).rejects.not.toThrow('not-the-password');
  });
});

describe('copyImage, to a registry with token auth (Bearer, as Docker Hub and GitLab)', () => {
  let project: Registry;
  let hub: Registry;
  beforeAll(async () => {
    [project, hub] = await Promise.all([startRegistry(), startRegistry({ username: 'hub', auth: 'token' })]);
  });
  afterAll(async () => Promise.all([project.stop(), hub.stop()]));

  it('gets a token to push there and uploads the image; within that registry, one to mount from the tested repository too', async () => {
    const tested = await pushImage(project, 'acme/app/fibonacci', 'abc123');
    const source = await repositoryIn(project, 'acme/app/fibonacci', [pullScope('acme/app/fibonacci')]);
    const target = await repositoryIn(hub, 'hub/fibonacci', [pushScope('hub/fibonacci')]);
    expect((await copyImage(source, target, tested, ['latest'])).blobs).toEqual({ present: 0, mounted: 0, uploaded: 2 });
    expect(await servedDigest(hub, 'hub/fibonacci', 'latest')).toBe(tested);

    const stable = await repositoryIn(hub, 'hub/fibonacci-stable', [pushScope('hub/fibonacci-stable'), pullScope('hub/fibonacci')]);
    expect((await copyImage(target, stable, 'latest', ['latest'])).blobs).toEqual({ present: 0, mounted: 2, uploaded: 0 });
    expect(await servedDigest(hub, 'hub/fibonacci-stable', 'latest')).toBe(tested);
  });

  it("mounts from a sibling service's repository only with a token that may pull it", async () => {
    const { orders, source } = await twoServices(project, hub);
    const unscoped = { ...(await repositoryIn(hub, 'hub/orders-unscoped', [pushScope('hub/orders-unscoped')])), siblings: ['hub/fibonacci'] };
    expect((await copyImage(source, unscoped, orders, ['latest'])).blobs).toEqual({ present: 0, mounted: 0, uploaded: 3 });

    const scopes = [pushScope('hub/orders'), pullScope('hub/fibonacci')];
    const target = { ...(await repositoryIn(hub, 'hub/orders', scopes)), siblings: ['hub/fibonacci'] };
    expect((await copyImage(source, target, orders, ['latest'])).blobs).toEqual({ present: 0, mounted: 2, uploaded: 1 });
    expect(await servedDigest(hub, 'hub/orders', 'latest')).toBe(orders);
  });

  it('refuses wrong credentials at the token service, naming the variables they came from, never the password', async () => {
    const endpoint = registryEndpoint(`${hub.address}/hub/fibonacci`);
    if (endpoint === undefined) throw new Error('a loopback registry has a host');
    const wrong = { auth: { username: 'hub', password: 'not-the-password', serveraddress: hub.address }, from: 'DOCKER_HUB_USER/DOCKER_HUB_TOKEN' };
    const refusal = openSession(endpoint, wrong, [pushScope('hub/fibonacci')]);
    await expect(refusal).rejects.toThrow(new RegExp(`^the registry ${hub.address} refused the credentials in DOCKER_HUB_USER/DOCKER_HUB_TOKEN: its token service http://127\\.0\\.0\\.1:\\d+ answered HTTP 401$`));
    await expect(refusal).rejects.not.toThrow('not-the-password');
  });
});
