import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Lays out a file tree under `root` (a test's temporary folder): path → content. */
export async function writeFiles(root: string, entries: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(entries)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}
