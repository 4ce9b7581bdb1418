import { CliError } from '../errors.ts';
import { failed, type Descriptor } from './manifest.ts';
import type { Session } from './session.ts';

export interface Repository {
  session: Session;
  name: string;
}

/** A repository a copy writes to, and the other repositories of its registry whose blobs it may mount (other services' images). */
export interface TargetRepository extends Repository {
  siblings?: readonly string[];
}

export type BlobCopy = 'present' | 'mounted' | 'uploaded';

/** Where an upload continues: the registry's Location, relative or absolute, with the digest that closes it. */
function uploadUrl(session: Session, response: Response, digest: string): string {
  const location = response.headers.get('location');
  if (location === null) throw new CliError(`${session.endpoint.host} started an upload without saying where (no Location)`);
  const url = new URL(location, session.endpoint.origin);
  url.searchParams.set('digest', digest);
  return url.toString();
}

/**
 * The repository of the target's registry to mount the blob from: the source when it is in that registry, else the
 * first sibling that holds it (one the token may not read answers 401, and is passed over like one without it).
 */
async function mountFrom(source: Repository, target: TargetRepository, digest: string): Promise<string | undefined> {
  const { session, siblings = [] } = target;
  if (source.session.endpoint.origin === session.endpoint.origin) return source.name;
  const held = await Promise.all(siblings.map(async (name) => (await session.request(`/v2/${name}/blobs/${digest}`, { method: 'HEAD' })).ok));
  return siblings.find((_, index) => held[index]);
}

/**
 * Puts one blob into the target unless it is there: mounted from a repository of the same registry that holds it
 * (no bytes move), else streamed from the source in one upload. A registry that will not mount opens an upload
 * instead (202), which the bytes then go to. The registry checks the bytes against the digest it closes with.
 */
export async function copyBlob(source: Repository, target: TargetRepository, { digest }: Descriptor): Promise<BlobCopy> {
  const { session, name } = target;
  const present = await session.request(`/v2/${name}/blobs/${digest}`, { method: 'HEAD' });
  if (present.ok) return 'present';
  const from = await mountFrom(source, target, digest);
  const mount = from === undefined ? '' : `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
  const started = await session.request(`/v2/${name}/blobs/uploads/${mount}`, { method: 'POST' });
  if (started.status === 201) return 'mounted';
  if (started.status !== 202) throw failed(session, name, `starting the upload of ${digest}`, started);

  const upload = uploadUrl(session, started, digest);
  const blob = await source.session.request(`/v2/${source.name}/blobs/${digest}`);
  if (!blob.ok || blob.body === null) {
    // Cancelled rather than left for the registry to purge days later; the read's failure is what is reported.
    await session.request(upload, { method: 'DELETE' }).catch(() => undefined);
    throw failed(source.session, source.name, `reading the blob ${digest}`, blob);
  }
  const length = blob.headers.get('content-length');
  const uploaded = await session.request(upload, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', ...(length === null ? {} : { 'content-length': length }) },
    body: blob.body,
    // A streamed request body: Node's fetch requires saying it is sent before the response comes.
    duplex: 'half',
  });
  if (uploaded.status !== 201) throw failed(session, name, `uploading the blob ${digest}`, uploaded);
  return 'uploaded';
}
