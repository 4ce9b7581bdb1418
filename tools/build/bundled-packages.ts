import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';

/** The package.json fields the SBOM and the license policy read. */
export interface PackageManifest {
  name: string;
  version: string;
  license?: string;
  /** The form npm deprecated, still found in old packages: `[{ type: 'MIT' }]`. */
  licenses?: { type?: string }[];
  description?: string;
  homepage?: string;
  repository?: string | { url?: string };
}

/** A third-party package some of whose files esbuild put into the bundle. */
export interface BundledPackage {
  /** Relative to esbuild's working directory, e.g. node_modules/@fastify/swagger/node_modules/fastify-plugin. */
  dir: string;
  manifest: PackageManifest;
}

// The folder of the package a file belongs to: up to the last node_modules/<name> or node_modules/@scope/<name>.
const PACKAGE_DIR = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//;

/**
 * The packages whose code is in the bundle: those of the metafile's inputs (the files esbuild read), each with
 * its own package.json. Nested copies at another version are entries of their own. Sources outside node_modules are this repository's own (the service and libs/), not listed.
 */
export async function bundledPackages(metafile: Metafile, workingDir: string): Promise<BundledPackage[]> {
  const dirs = new Set(Object.keys(metafile.inputs).flatMap((input) => PACKAGE_DIR.exec(input)?.[1] ?? []));
  const packages = await Promise.all(
    [...dirs].map(async (dir) => ({ dir, manifest: JSON.parse(await readFile(join(workingDir, dir, 'package.json'), 'utf8')) as PackageManifest })),
  );
  // One entry per name and version: npm may install the same release in several folders.
  const unique = new Map(packages.map((found) => [`${found.manifest.name}@${found.manifest.version}`, found]));
  return [...unique.values()].sort((a, b) => a.manifest.name.localeCompare(b.manifest.name) || a.manifest.version.localeCompare(b.manifest.version));
}

/** The package's SPDX expression, from `license` or the old `licenses` array; undefined when it declares none. */
export function declaredLicense({ license, licenses }: PackageManifest): string | undefined {
  if (license) return license;
  const types = (licenses ?? []).flatMap((entry) => entry.type ?? []);
  return types.length === 0 ? undefined : types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
}
