import { createHash } from 'node:crypto';
import { CliError } from '../errors.ts';
import type { Session } from './session.ts';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

const ACCEPT = Object.values(MEDIA_TYPES).join(', ');

export interface Descriptor {
  digest: string;
  size?: number;
  platform?: { os?: string; architecture?: string };
}

/** A manifest as the registry stores it: its exact bytes are what the digest names, so they are copied, never re-serialized. */
export interface Manifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
  /** An image's config and layers. */
  config?: Descriptor;
  layers: Descriptor[];
  /** An index's (manifest list's) images. */
  manifests: Descriptor[];
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function failed(session: Session, name: string, what: string, response: Response): CliError {
  return new CliError(`${what} in ${session.endpoint.host}/${name} failed: HTTP ${String(response.status)}`);
}

/** Reads `name`'s manifest by tag or digest; one read by digest must hash to that digest. */
export async function readManifest(session: Session, name: string, reference: string): Promise<Manifest> {
  const response = await session.request(`/v2/${name}/manifests/${reference}`, { headers: { accept: ACCEPT } });
  if (!response.ok) throw failed(session, name, `reading the manifest ${reference}`, response);
  const bytes = Buffer.from(await response.arrayBuffer());
  const digest = sha256(bytes);
  if (reference.startsWith('sha256:') && digest !== reference) {
    throw new CliError(`${session.endpoint.host}/${name} served bytes hashing to ${digest} for the manifest ${reference}`);
  }
  const parsed = JSON.parse(bytes.toString()) as { mediaType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim() ?? parsed.mediaType;
  if (mediaType === undefined || !(Object.values(MEDIA_TYPES) as string[]).includes(mediaType)) {
    throw new CliError(`${session.endpoint.host}/${name}:${reference} is a ${mediaType ?? 'manifest without a media type'}, not an OCI or Docker v2 image or index`);
  }
  return { bytes, mediaType, digest, config: parsed.config, layers: parsed.layers ?? [], manifests: parsed.manifests ?? [] };
}

/** Stores the manifest's very bytes under `reference` (a tag, or its digest); answers the digest the registry gives it. */
export async function writeManifest(session: Session, name: string, reference: string, manifest: Manifest): Promise<string> {
  const response = await session.request(`/v2/${name}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': manifest.mediaType },
    body: manifest.bytes,
  });
  if (!response.ok) throw failed(session, name, `writing the manifest ${reference}`, response);
  return response.headers.get('docker-content-digest') ?? manifest.digest;
}
