import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { extract } from 'tar-fs';

/** A file's text as the image holds it, copied out of a container that is created but never started. */
export async function readImageFile(docker: Docker, image: string, path: string): Promise<string> {
  const container = await docker.createContainer({ name: `e2e-read-${randomUUID().slice(0, 8)}`, Image: image });
  const dir = await mkdtemp(join(tmpdir(), 'image-file-'));
  try {
    await pipeline(await container.getArchive({ path }), extract(dir));
    return await readFile(join(dir, basename(path)), 'utf8');
  } finally {
    await container.remove({ force: true });
    await rm(dir, { recursive: true, force: true });
  }
}
