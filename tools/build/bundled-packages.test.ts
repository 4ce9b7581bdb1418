import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFiles } from '../docker/testing/write-files.ts';
import { bundledPackages, declaredLicense } from './bundled-packages.ts';

const manifest = (name: string, version: string, license?: string) => JSON.stringify({ name, version, license });
const metafileOf = (...inputs: string[]): Metafile => ({ inputs: Object.fromEntries(inputs.map((input) => [input, { bytes: 1, imports: [] }])), outputs: {} });

describe('the packages in a bundle', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bundled-packages-'));
    await writeFiles(root, {
      'node_modules/fastify/package.json': manifest('fastify', '5.1.0', 'MIT'),
      'node_modules/@fastify/swagger/package.json': manifest('@fastify/swagger', '9.0.0', 'MIT'),
      'node_modules/@fastify/swagger/node_modules/fastify-plugin/package.json': manifest('fastify-plugin', '4.5.1', 'MIT'),
      'node_modules/fastify-plugin/package.json': manifest('fastify-plugin', '5.0.0', 'MIT'),
      'node_modules/@fastify/static/node_modules/fastify-plugin/package.json': manifest('fastify-plugin', '5.0.0', 'MIT'),
      // A package.json below a package's root (esm/package.json: {"type": "module"}) does not name a package.
      'node_modules/fastify/lib/esm/package.json': '{"type":"module"}',
    });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("are the metafile's inputs' packages, each version once, nested copies included, the repository's own sources left out", async () => {
    const metafile = metafileOf(
      'apps/weather/src/main.ts',
      'libs/service-kit/src/index.ts',
      'node_modules/fastify/fastify.js',
      'node_modules/fastify/lib/esm/route.js',
      'node_modules/@fastify/swagger/index.js',
      'node_modules/@fastify/swagger/node_modules/fastify-plugin/plugin.js',
      'node_modules/fastify-plugin/plugin.js',
      'node_modules/@fastify/static/node_modules/fastify-plugin/plugin.js',
    );
    const found = await bundledPackages(metafile, root);
    expect(found.map(({ dir, manifest: { name, version } }) => [name, version, dir])).toEqual([
      ['@fastify/swagger', '9.0.0', 'node_modules/@fastify/swagger'],
      ['fastify', '5.1.0', 'node_modules/fastify'],
      ['fastify-plugin', '4.5.1', 'node_modules/@fastify/swagger/node_modules/fastify-plugin'],
      ['fastify-plugin', '5.0.0', 'node_modules/@fastify/static/node_modules/fastify-plugin'],
    ]);
  });

  it("take their license from package.json's license, else from the old licenses array", () => {
    expect(declaredLicense({ name: 'a', version: '1.0.0', license: 'ISC' })).toBe('ISC');
    expect(declaredLicense({ name: 'a', version: '1.0.0', licenses: [{ type: 'MIT' }] })).toBe('MIT');
    expect(declaredLicense({ name: 'a', version: '1.0.0', licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).toBe('(MIT OR Apache-2.0)');
    expect(declaredLicense({ name: 'a', version: '1.0.0' })).toBeUndefined();
  });
});
