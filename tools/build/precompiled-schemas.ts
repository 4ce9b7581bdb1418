import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Plugin } from 'esbuild';
import { schemaSourcesFileVariable, type SchemaSourcesFile } from '@fastify-gitlab/service-kit/precompiled';

const run = promisify(execFile);
const namespace = 'precompiled-schemas';

/**
 * The code of every validator and serializer the service's routes compile at start: its src/main.ts run from
 * the sources as the image runs it (NODE_ENV=production), in the kit's mode that writes them instead of listening.
 * Undefined, with a warning, when the service cannot start so (a setting it requires): it then compiles them at start.
 */
export async function generateSchemaSources(projectRoot: string): Promise<SchemaSourcesFile | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'schema-sources-'));
  const file = join(dir, 'schemas.json');
  try {
    await run(process.execPath, ['src/main.ts'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', [schemaSourcesFileVariable]: file },
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(await readFile(file, 'utf8')) as SchemaSourcesFile;
  } catch (error) {
    const { stderr = '', message } = error as { stderr?: string; message: string };
    console.warn(`tools/build: ${projectRoot} will compile its schemas at start: its main.ts could not write them (${(stderr || message).trim().slice(-2000)})`);
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Makes the kit's `#precompiled-schemas` import the generated code (see PrecompiledSchemas there): one CommonJS
 * module per validator and serializer, whose requires (Ajv's runtime, fast-json-stringify's serializer) resolve
 * from `resolveDir`. Fastify's compilers are required only when called, so a bundle loads them only on a miss.
 */
export function precompiledSchemasPlugin({ validators, serializers }: SchemaSourcesFile, resolveDir: string): Plugin {
  const modules = new Map<string, string>();
  const mapOf = (kind: string, entries: [string, string][]) => {
    const pairs = entries.map(([key, code], index) => {
      const path = `./${kind}-${index}.cjs`;
      modules.set(path, code);
      return `[${JSON.stringify(key)}, require(${JSON.stringify(path)})]`;
    });
    return `new Map([${pairs.join(', ')}])`;
  };
  modules.set(
    'index.cjs',
    [
      `exports.validators = ${mapOf('validator', validators)};`,
      `exports.serializers = ${mapOf('serializer', serializers)};`,
      "exports.loadCompilers = () => ({ ValidatorSelector: require('@fastify/ajv-compiler'), SerializerSelector: require('@fastify/fast-json-stringify-compiler') });",
    ].join('\n'),
  );
  return {
    name: namespace,
    setup(build) {
      build.onResolve({ filter: /^#precompiled-schemas$/ }, () => ({ path: 'index.cjs', namespace }));
      build.onResolve({ filter: /^\.\//, namespace }, ({ path }) => ({ path, namespace }));
      build.onLoad({ filter: /.*/, namespace }, ({ path }) => ({ contents: modules.get(path), loader: 'js', resolveDir }));
    },
  };
}
