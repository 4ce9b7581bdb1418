import { randomUUID } from 'node:crypto';
import { ComponentType } from '@cyclonedx/cyclonedx-library/Enums';
import { Bom, Component, SpdxLicense } from '@cyclonedx/cyclonedx-library/Models';
import { JSON as CdxJson, JsonSerializer } from '@cyclonedx/cyclonedx-library/Serialize';
import { Spec1dot6 } from '@cyclonedx/cyclonedx-library/Spec';
import { PackageURL } from 'packageurl-js';
import { DOCKER_HUB, registryHost, splitImageReference } from './naming.ts';

/** The base image as built on: the reference given, and the digest that pins it. */
export interface BaseImageFacts {
  reference: string;
  /** The registry's manifest digest (sha256:…), or the local image id when it came from no registry. */
  digest: string;
  fromRegistry: boolean;
  /** Its NODE_VERSION, the Node runtime the service runs on. */
  nodeVersion: string;
}

export interface ImageSbomFacts {
  /** Where the image goes, without tag: registry/namespace/project. */
  repository: string;
  version: string;
  base: BaseImageFacts;
  /** When the BOM was made; the serial number is random. */
  now?: Date;
}

/** What the bundle's SBOM (tools/build/bundle-sbom.ts) holds, as far as the image SBOM reads it. */
interface BundleBom {
  specVersion: string;
  metadata: { component: { 'bom-ref': string } & Record<string, unknown> };
  components?: unknown[];
  dependencies?: { ref: string; dependsOn?: string[] }[];
}

/** An OCI purl names the image by its last path segment, pins it by digest, and says where it came from. */
function baseImageComponent(base: BaseImageFacts): Component {
  const { repository, tag } = splitImageReference(base.reference);
  const name = repository.slice(repository.lastIndexOf('/') + 1);
  // A name without a registry host is on Docker Hub, and library/ is where its official images are.
  const host = registryHost(repository);
  const hubPath = repository.includes('/') ? repository.replace(/^docker\.io\//, '') : `library/${repository}`;
  const repositoryUrl = host === undefined || host === DOCKER_HUB ? `${DOCKER_HUB}/${hubPath}` : repository;
  const qualifiers = { ...(base.fromRegistry ? { repository_url: repositoryUrl } : {}), ...(tag ? { tag } : {}) };
  const purl = new PackageURL('oci', undefined, name, base.digest, qualifiers, undefined).toString();
  return new Component(ComponentType.Container, repository, {
    bomRef: purl,
    version: base.digest,
    purl,
    description: base.fromRegistry ? `base image, ${base.reference}, by its registry digest` : `base image, ${base.reference}, a local image: its digest is its image id`,
  });
}

function nodeRuntimeComponent(version: string): Component {
  const purl = new PackageURL('generic', undefined, 'node', version, undefined, undefined).toString();
  const node = new Component(ComponentType.Platform, 'node', {
    bomRef: purl,
    version,
    purl,
    // What vulnerability databases (NVD) file Node's own advisories under.
    cpe: `cpe:2.3:a:nodejs:node.js:${version}:*:*:*:*:*:*:*`,
    description: 'Node.js runtime of the base image (its NODE_VERSION)',
  });
  node.licenses.add(new SpdxLicense('MIT'));
  return node;
}

/**
 * The image's SBOM: the image itself, its base image by digest, the base's Node runtime, then the service and the
 * npm packages in its bundle as the build job recorded them. CycloneDX 1.6 JSON.
 */
export function imageSbom(bundleJson: string, { repository, version, base, now = new Date() }: ImageSbomFacts): string {
  const bundle = JSON.parse(bundleJson) as BundleBom;
  const bom = new Bom({ serialNumber: `urn:uuid:${randomUUID()}` });
  bom.metadata.timestamp = now;
  const image = new Component(ComponentType.Container, repository, { bomRef: `image:${repository}`, version });
  const baseImage = baseImageComponent(base);
  const node = nodeRuntimeComponent(base.nodeVersion);
  bom.metadata.component = image;
  bom.components.add(baseImage);
  bom.components.add(node);
  image.dependencies.add(baseImage.bomRef);
  baseImage.dependencies.add(node.bomRef);
  const serializer = new JsonSerializer(new CdxJson.Normalize.Factory(Spec1dot6));
  const normalized = JSON.parse(serializer.serialize(bom, { sortLists: true })) as CdxJson.Types.Normalized.Bom;

  const service = { ...bundle.metadata.component, version };
  const dependencies = (normalized.dependencies ?? []).map((entry) =>
    entry.ref === image.bomRef.value ? { ...entry, dependsOn: [...(entry.dependsOn ?? []), service['bom-ref']].sort() } : entry,
  );
  return JSON.stringify(
    { ...normalized, components: [...(normalized.components ?? []), service, ...(bundle.components ?? [])], dependencies: [...dependencies, ...(bundle.dependencies ?? [])] },
    null,
    2,
  );
}
