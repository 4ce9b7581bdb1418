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

export interface BundleOptions {
  outDir?: string;
  /** The SPDX ids a bundled package may be under (default: license-policy.json at the workspace root). */
  licensePolicy?: string;
}

/**
 * Bundles a service into <project>/dist so its image needs Node and nothing else, with its routes' validators
 * and serializers generated beforehand (./precompiled-schemas.ts):
 *   dist/server/main.mjs   the entry: turns on V8's compile cache, then loads the service
 *   dist/server/service.mjs the service and every dependency, with its source map (in the image too)
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
    ...nodeBundleOptions,
    entryPoints: [join(projectRoot, 'src/main.ts')],
    outfile: join(outDir, 'server/service.mjs'),
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
  await writeFile(join(outDir, 'server/main.mjs'), entry);
  const swaggerUiRoot = dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui/package.json'));
  await cp(join(swaggerUiRoot, 'static'), join(outDir, 'static'), { recursive: true });
}

/**
 * V8 keeps the code it compiled for the bundle (NODE_COMPILE_CACHE, else the OS temp dir), so every start
 * after the first skips parsing and compiling 2 MB of JavaScript, a sixth of start-up. It has to be on
 * before the bundle loads, hence an entry of its own. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 * Source maps too (what `node --enable-source-maps` does), here rather than in each Dockerfile's CMD so
 * every way of running the bundle gets them.
 */
const entry = `import module from 'node:module';
module.enableCompileCache();
module.setSourceMapsSupport(true);
await import('./service.mjs');
`;

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
