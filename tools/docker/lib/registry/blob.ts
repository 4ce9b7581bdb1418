import { CliError } from '../errors.ts';
import { failed, type Descriptor } from './manifest.ts';
import type { Session } from './session.ts';

export interface Repository {
  session: Session;
  name: string;
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
 * Puts one blob into the target unless it is there: mounted across repositories of the same registry (no bytes
 * move), else streamed from the source in one upload. The registry checks the bytes against the digest it closes with.
 */
export async function copyBlob(source: Repository, target: Repository, { digest }: Descriptor): Promise<BlobCopy> {
  const { session, name } = target;
  const present = await session.request(`/v2/${name}/blobs/${digest}`, { method: 'HEAD' });
  if (present.ok) return 'present';
  const sameRegistry = source.session.endpoint.origin === session.endpoint.origin;
  const mount = sameRegistry ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(source.name)}` : '';
  const started = await session.request(`/v2/${name}/blobs/uploads/${mount}`, { method: 'POST' });
  if (started.status === 201) return 'mounted';
  if (started.status !== 202) throw failed(session, name, `starting the upload of ${digest}`, started);

  const blob = await source.session.request(`/v2/${source.name}/blobs/${digest}`);
  if (!blob.ok || blob.body === null) throw failed(source.session, source.name, `reading the blob ${digest}`, blob);
  const length = blob.headers.get('content-length');
  const uploaded = await session.request(uploadUrl(session, started, digest), {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', ...(length === null ? {} : { 'content-length': length }) },
    body: blob.body,
    // A streamed request body: Node's fetch requires saying it is sent before the response comes.
    duplex: 'half',
  });
  if (uploaded.status !== 201) throw failed(session, name, `uploading the blob ${digest}`, uploaded);
  return 'uploaded';
}
