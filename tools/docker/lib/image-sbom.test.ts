import { describe, expect, it } from 'vitest';
import { bundleSbom } from '../../build/bundle-sbom.ts';
import { cyclonedxSchemaErrors } from '../../build/testing/cyclonedx-schema.ts';
import { imageSbom, type BaseImageFacts } from './image-sbom.ts';

const digest = `sha256:${'d3'.repeat(32)}`;
const registryBase: BaseImageFacts = { reference: `node:24-alpine@${digest}`, digest, fromRegistry: true, nodeVersion: '24.22.3' };
const bundle = bundleSbom({
  service: 'weather',
  license: 'MIT',
  packages: [
    { dir: 'node_modules/fastify', manifest: { name: 'fastify', version: '5.12.8', license: 'MIT' } },
    { dir: 'node_modules/@opentelemetry/api', manifest: { name: '@opentelemetry/api', version: '1.10.0', license: 'Apache-2.0' } },
  ],
});

interface Sbom {
  serialNumber: string;
  metadata: { timestamp: string; component: Record<string, unknown> };
  components: Record<string, unknown>[];
  dependencies: { ref: string; dependsOn?: string[] }[];
}
const parse = (base: BaseImageFacts) =>
  JSON.parse(imageSbom(bundle, { repository: 'registry.gitlab.com/acme/shop/weather', version: '1.2.3', base, now: new Date('2026-01-02T03:04:05Z') })) as Sbom;

describe("the image's SBOM", () => {
  it('is valid CycloneDX 1.6, a new serial number each time', async () => {
    const sbom = imageSbom(bundle, { repository: 'registry.example.com/weather', version: '1.2.3', base: registryBase });
    expect(await cyclonedxSchemaErrors(sbom)).toBeNull();
    expect(parse(registryBase).serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(parse(registryBase).serialNumber).not.toBe(parse(registryBase).serialNumber);
  });

  it('describes the image, which holds the base image by its registry digest, Node, and the service', () => {
    const { metadata, components, dependencies } = parse(registryBase);
    expect(metadata).toMatchObject({ timestamp: '2026-01-02T03:04:05.000Z', component: { type: 'container', name: 'registry.gitlab.com/acme/shop/weather', version: '1.2.3' } });
    const basePurl = `pkg:oci/node@${digest}?repository_url=docker.io%2Flibrary%2Fnode&tag=24-alpine`;
    expect(components).toContainEqual(expect.objectContaining({ type: 'container', name: 'node', version: digest, purl: basePurl, 'bom-ref': basePurl, description: `base image, node:24-alpine@${digest}, by its registry digest` }));
    expect(components).toContainEqual(
      expect.objectContaining({ type: 'platform', name: 'node', version: '24.22.3', purl: 'pkg:generic/node@24.22.3', cpe: 'cpe:2.3:a:nodejs:node.js:24.22.3:*:*:*:*:*:*:*', licenses: [{ license: { id: 'MIT' } }] }),
    );
    expect(components).toContainEqual(expect.objectContaining({ type: 'application', name: 'weather', version: '1.2.3', 'bom-ref': 'service:weather' }));
    expect(dependencies).toContainEqual({ ref: 'image:registry.gitlab.com/acme/shop/weather', dependsOn: [basePurl, 'service:weather'] });
    expect(dependencies).toContainEqual({ ref: basePurl, dependsOn: ['pkg:generic/node@24.22.3'] });
  });

  it("keeps the bundle's npm packages with their versions and licenses, and what the service depends on", () => {
    const { components, dependencies } = parse(registryBase);
    expect(components).toContainEqual(expect.objectContaining({ name: 'fastify', version: '5.12.8', purl: 'pkg:npm/fastify@5.12.8', licenses: [{ license: { id: 'MIT' } }] }));
    expect(components).toContainEqual(expect.objectContaining({ group: '@opentelemetry', name: 'api', version: '1.10.0', licenses: [{ license: { id: 'Apache-2.0' } }] }));
    expect(dependencies).toContainEqual({ ref: 'service:weather', dependsOn: ['pkg:npm/%40opentelemetry/api@1.10.0', 'pkg:npm/fastify@5.12.8'] });
  });

  it('names a local base image (no registry served it) by its image id, saying so', async () => {
    const id = `sha256:${'ab'.repeat(32)}`;
    const local = { reference: 'local/node:24', digest: id, fromRegistry: false, nodeVersion: '24.22.3' };
    const { components } = parse(local);
    expect(components).toContainEqual(
      expect.objectContaining({ type: 'container', name: 'local/node', version: id, purl: `pkg:oci/node@${id}?tag=24`, description: 'base image, local/node:24, a local image: its digest is its image id' }),
    );
    expect(await cyclonedxSchemaErrors(imageSbom(bundle, { repository: 'weather', version: '0.0.0-dev', base: local }))).toBeNull();
  });
});
