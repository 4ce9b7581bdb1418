import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFiles } from '../../tools/docker/testing/write-files.ts';

/**
 * A throw-away Nx workspace (an nx.json, a package.json and the given files), so that no broken or leaky project ever
 * lives in this one: the CLI works on the workspace around its working directory.
 */
export async function throwawayWorkspace(name: string, files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), `e2e-${name}-`));
  await writeFiles(root, { 'nx.json': '{}', 'package.json': JSON.stringify({ name, private: true }), ...files });
  return root;
}
