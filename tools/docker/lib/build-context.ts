import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { pack } from 'tar-fs';

// The package is CommonJS (`module.exports = factory`) but its types declare `export default`: under
// nodenext the default import is the factory itself at run time, which the types do not know.
const createIgnore = dockerignore as unknown as typeof dockerignore.default;

/**
 * The files `docker build` would send from `dir`: everything .dockerignore lets through, plus the
 * Dockerfile and .dockerignore themselves, which the docker CLI always sends (dockerode's own filter
 * drops them when .dockerignore starts with `*`, as ours do).
 */
export async function contextFiles(dir: string): Promise<string[]> {
  const ignoreFile = await readFile(join(dir, '.dockerignore'), 'utf8').catch(() => '');
  const keep = createIgnore({ ignorecase: false }).add(ignoreFile).createFilter();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((file) => keep(file));
  return [...new Set(['Dockerfile', ...(ignoreFile ? ['.dockerignore'] : []), ...files])].sort();
}

/**
 * A tar stream of those files, owned by root so the image does not carry this machine's uids. A file in `generated`
 * (path → content) is sent with that content instead of what is on disk, which stays as it was.
 */
export function packContext(dir: string, files: string[], generated: Record<string, string> = {}): NodeJS.ReadableStream {
  return pack(dir, {
    entries: files.filter((file) => !(file in generated)),
    map: (header) => ({ ...header, uid: 0, gid: 0, uname: 'root', gname: 'root' }),
    finalize: false,
    finish: (archive) => {
      for (const [name, content] of Object.entries(generated)) archive.entry({ name, mode: 0o644, uid: 0, gid: 0, uname: 'root', gname: 'root' }, content);
      archive.finalize();
    },
  });
}
