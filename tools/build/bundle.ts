import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { bundledPackages } from './bundled-packages.ts';
import { bundleSbom } from './bundle-sbom.ts';
import { generateSchemaSources, precompiledSchemasPlugin } from './precompiled-schemas.ts';
import { enforceLicensePolicy, LicensePolicyError, readLicensePolicy } from './license-policy.ts';

const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The bundle's SBOM, in dist/: the image job (tools/docker build) completes it and puts it into the image. */
const SBOM_FILE = 'sbom.cdx.json';

/** One ES module for Node 24 holding its entry and every dependency: how services and the CI tools are shipped. */
export const nodeBundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  // Smaller and faster to load. Identifiers are not minified, so a stack trace still reads without the
  // source map. No keepNames: its __name() wrapper runs each time a closure is made, and Fastify makes
  // several per request; with it a request took twice the CPU (npm run bench, server CPU per request).
  minifySyntax: true,
  minifyWhitespace: true,
  // The map ships beside the bundle, so a stack trace in production names our src/*.ts files and lines. Without
  // the sources' text (which only a debugger shows) it is a third of the size: 1.9 MB for weather.
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Bundled CommonJS dependencies still call require() and read __dirname, which ESM lacks.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      "const __dirname = __fileURLToPath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
} as const satisfies BuildOptions;

/** The service itself: a script, not a module, so that its entry can run it with a V8 code cache (./code-cached-start.ts). */
const serviceBundleOptions = {
  ...nodeBundleOptions,
  format: 'cjs',
  // Its require, __filename and __dirname are the ones the entry gives it.
  banner: {},
} as const satisfies BuildOptions;

export interface BundleOptions {
  outDir?: string;
  /** The SPDX ids a bundled package may be under (default: license-policy.json at the workspace root). */
  licensePolicy?: string;
}

/**
 * Bundles a service into <project>/dist so its image needs Node and nothing else, with its routes' validators
 * and serializers generated beforehand (./precompiled-schemas.ts):
 *   dist/server/main.mjs    the entry (./service-entry.ts): runs the service with a V8 code cache of its start
 *   dist/server/service.cjs the service and every dependency, with its source map (in the image too); CommonJS,
 *                           because V8 caches the code a script compiled while it ran, not a module's
 *   dist/static/           Swagger UI's assets, which @fastify/swagger-ui reads from `<its dir>/../static`
 *   dist/sbom.cdx.json     the npm packages in the bundle, with versions and licenses (CycloneDX)
 * Fails, naming each package and its license, when a bundled package is under a license the policy does not allow.
 */
export async function bundleService(projectRoot: string, options: BundleOptions = {}): Promise<void> {
  const { outDir = join(projectRoot, 'dist'), licensePolicy = join(workspaceRoot, 'license-policy.json') } = options;
  const policy = await readLicensePolicy(licensePolicy);
  await rm(outDir, { recursive: true, force: true });
  // Generated now, so the service compiles no schema at start: a sixth of a start's CPU in the weather service.
  const schemaSources = await generateSchemaSources(projectRoot);
  // Kept in memory until the policy passes: a bundle it refuses is never written, so no later step can ship it.
  const { metafile, outputFiles } = await build({
    ...serviceBundleOptions,
    entryPoints: [join(projectRoot, 'src/main.ts')],
    outfile: join(outDir, 'server/service.cjs'),
    absWorkingDir: workspaceRoot,
    metafile: true,
    write: false,
    plugins: schemaSources ? [precompiledSchemasPlugin(schemaSources, workspaceRoot)] : [],
  });
  const packages = await bundledPackages(metafile, workspaceRoot);
  enforceLicensePolicy(packages, policy, licensePolicy);
  await mkdir(join(outDir, 'server'), { recursive: true });
  for (const file of outputFiles) await writeFile(file.path, file.contents);
  const { license } = JSON.parse(await readFile(join(workspaceRoot, 'package.json'), 'utf8')) as { license?: string };
  await writeFile(join(outDir, SBOM_FILE), bundleSbom({ service: basename(projectRoot), license, packages }));
  await build({ ...nodeBundleOptions, entryPoints: [join(workspaceRoot, 'tools/build/service-entry.ts')], outfile: join(outDir, 'server/main.mjs'), sourcemap: false, banner: {} });
  const swaggerUiRoot = dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui/package.json'));
  await cp(join(swaggerUiRoot, 'static'), join(outDir, 'static'), { recursive: true });
}

if (import.meta.main) {
  const [projectRoot] = process.argv.slice(2);
  if (!projectRoot) {
    console.error('usage: node tools/build/bundle.ts <project root>   e.g. apps/fibonacci');
    process.exit(2);
  }
  await bundleService(resolve(projectRoot)).catch((error: unknown) => {
    console.error(`tools/build/bundle.ts ${projectRoot}: ${error instanceof LicensePolicyError ? error.message : String((error as Error).stack)}`);
    process.exit(1);
  });
}
