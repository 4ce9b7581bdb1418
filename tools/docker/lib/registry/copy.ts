import { CliError } from '../errors.ts';
import { copyBlob, type BlobCopy, type Repository, type TargetRepository } from './blob.ts';
import { failed, readManifest, writeManifest, type Manifest } from './manifest.ts';

export interface CopiedImage {
  /** The digest every tag now serves: the source's, as its manifest bytes are copied unchanged. */
  digest: string;
  /** The image config's labels (of an index, its first image for a real platform), for the provenance. */
  labels: Record<string, string>;
  /** How many blobs were already there, mounted, or uploaded. */
  blobs: Record<BlobCopy, number>;
}

/** Copies an image's config and layers (none for an index), counting how each went. */
async function copyBlobs(source: Repository, target: TargetRepository, manifest: Manifest, blobs: Record<BlobCopy, number>): Promise<void> {
  for (const descriptor of [...(manifest.config ? [manifest.config] : []), ...manifest.layers]) {
    blobs[await copyBlob(source, target, descriptor)] += 1;
  }
}

async function configLabels(source: Repository, manifest: Manifest): Promise<Record<string, string>> {
  if (manifest.config === undefined) return {};
  const response = await source.session.request(`/v2/${source.name}/blobs/${manifest.config.digest}`);
  if (!response.ok) throw failed(source.session, source.name, `reading the image config ${manifest.config.digest}`, response);
  const config = (await response.json()) as { config?: { Labels?: Record<string, string> | null } };
  return config.config?.Labels ?? {};
}

/**
 * Copies `source`'s image `reference` (tag or digest; image or index) to `target` under `tags`, registry to registry:
 * no engine, no layer decompressed or recompressed. Every tag must then serve the source's digest.
 */
export async function copyImage(source: Repository, target: TargetRepository, reference: string, tags: string[]): Promise<CopiedImage> {
  const top = await readManifest(source.session, source.name, reference);
  const blobs: Record<BlobCopy, number> = { present: 0, mounted: 0, uploaded: 0 };
  let labelled = top;
  for (const child of top.manifests) {
    const image = await readManifest(source.session, source.name, child.digest);
    await copyBlobs(source, target, image, blobs);
    // An index's images are stored by digest before the index that names them.
    await writeManifest(target.session, target.name, image.digest, image);
    // Attestations (buildx's provenance, SBOM) sit in an index as platform unknown/unknown.
    if (labelled === top && child.platform?.os !== 'unknown') labelled = image;
  }
  await copyBlobs(source, target, top, blobs);
  for (const tag of tags) {
    const served = await writeManifest(target.session, target.name, tag, top);
    if (served !== top.digest) {
      throw new CliError(`${target.session.endpoint.host}/${target.name}:${tag} now serves ${served}, not the tested ${top.digest}: the release is not what was tested`);
    }
  }
  return { digest: top.digest, labels: await configLabels(source, labelled), blobs };
}
