import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The workspace the command acts on, found as Nx finds it: NX_WORKSPACE_ROOT_PATH, else the nearest folder at or
 * above `from` holding nx.json, else `from`. Our own few lines rather than @nx/devkit's, whose import pulls Nx
 * and its native binding into the bundle the CI jobs run (dist/tools/docker.mjs, no node_modules there).
 */
export function findWorkspaceRoot(from = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  if (env.NX_WORKSPACE_ROOT_PATH) return env.NX_WORKSPACE_ROOT_PATH;
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
