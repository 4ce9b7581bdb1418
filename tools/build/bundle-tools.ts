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
 * Optional parts that packages load inside try/catch and do without: they stay out of the bundle and are not found
 * at run time, the same as in node_modules when they are not installed.
 *   ssh2's native parts (cpu-features, its sshcrypto binding), built only by install scripts, which this workspace
 *   never runs; named exactly, as CycloneDX's serialize/xmlSerializer.node.js is JavaScript that must be bundled.
 *   CycloneDX's XML writers (xmlbuilder2, libxmljs2): the image job writes the SBOM as JSON only.
 */
const optionalParts = ['cpu-features', './crypto/build/Release/sshcrypto.node', 'xmlbuilder2', 'libxmljs2'];

export async function bundleTools(workspaceRoot: string, outDir = join(workspaceRoot, 'dist/tools')): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  // One build of both entries: each is still bundled on its own (no code splitting), named <key>.mjs.
  const entryPoints = Object.fromEntries(Object.entries(toolEntries).map(([name, entry]) => [name, join(workspaceRoot, entry)]));
  await build({ ...nodeBundleOptions, entryPoints, outdir: outDir, outExtension: { '.js': '.mjs' }, external: optionalParts });
}

if (import.meta.main) await bundleTools(resolve(process.argv[2] ?? '.'));
