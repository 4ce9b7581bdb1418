import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { nodeBundleOptions } from './bundle.ts';

/**
 * The CLIs the child pipeline's jobs run, bundled by the parent pipeline's build job, so that the jobs holding the
 * registry password, the SSH key and the env file install nothing (no `npm ci`, no package's install script):
 *   dist/tools/docker.mjs   tools/docker/cli.ts: build, push, smoke, release (dockerode)
 *   dist/tools/deploy.mjs   tools/deploy/cli.ts: droplet and ansible deploys (ssh2)
 * They sit two folders below the workspace root, as their sources do, so a path a module takes relative to itself
 * (tools/deploy/workspace.ts) finds the same files from either.
 */
export const toolEntries = { docker: 'tools/docker/cli.ts', deploy: 'tools/deploy/cli.ts' } as const;

/**
 * ssh2 loads its optional native parts (cpu-features, its own sshcrypto binding, both built only by install
 * scripts, which this workspace never runs) inside try/catch and uses its JavaScript code without them: they stay
 * out of the bundle and are not found at run time, the same as in node_modules.
 */
const optionalNative = ['cpu-features', '*.node'];

export async function bundleTools(workspaceRoot: string, outDir = join(workspaceRoot, 'dist/tools')): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  for (const [name, entry] of Object.entries(toolEntries)) {
    await build({ ...nodeBundleOptions, entryPoints: [join(workspaceRoot, entry)], outfile: join(outDir, `${name}.mjs`), external: optionalNative });
  }
}

if (import.meta.main) await bundleTools(resolve(process.argv[2] ?? '.'));
