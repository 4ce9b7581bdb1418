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

/** An OCI image with a random layer (so no two tests share blobs) and a label, as the image job pushes it. */
async function pushImage(registry: Registry, name: string, tag: string): Promise<string> {
  const config = await pushBlob(registry, name, Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { 'org.opencontainers.image.base.name': 'node:24' } }, rootfs: { type: 'layers', diff_ids: [] } })));
  const layer = await pushBlob(registry, name, randomBytes(300_000));
  return pushManifest(registry, name, tag, MEDIA_TYPES.ociManifest, {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  });
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

  it('refuses wrong credentials at the token service, naming the variables they came from, never the password', async () => {
    const endpoint = registryEndpoint(`${hub.address}/hub/fibonacci`);
    if (endpoint === undefined) throw new Error('a loopback registry has a host');
    const wrong = { auth: { username: 'hub', password: 'not-the-password', serveraddress: hub.address }, from: 'DOCKER_HUB_USER/DOCKER_HUB_TOKEN' };
    const refusal = openSession(endpoint, wrong, [pushScope('hub/fibonacci')]);
    await expect(refusal).rejects.toThrow(new RegExp(`^the registry ${hub.address} refused the credentials in DOCKER_HUB_USER/DOCKER_HUB_TOKEN: its token service http://127\\.0\\.0\\.1:\\d+ answered HTTP 401$`));
    await expect(refusal).rejects.not.toThrow('not-the-password');
  });
});
