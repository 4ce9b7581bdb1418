import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { compileFunction } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleService } from './bundle.ts';
import { moduleParameters } from './code-cached-start.ts';
import { cyclonedxSchemaErrors } from './testing/cyclonedx-schema.ts';

const run = promisify(execFile);
const fixtureRoot = fileURLToPath(new URL('./fixtures/hello', import.meta.url));

describe('bundleService', () => {
  // Outside the workspace, so nothing can be resolved from node_modules: the bundle must stand alone.
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'bundle-'));
    await bundleService(fixtureRoot, { outDir });
  });
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it('writes the entry, the service, its source map, the Swagger UI assets and the SBOM', async () => {
    expect((await readdir(join(outDir, 'server'))).sort()).toEqual(['main.mjs', 'service.cjs', 'service.cjs.map']);
    expect(await readdir(join(outDir, 'static'))).toContain('swagger-ui-bundle.js');
    expect(await readdir(outDir)).toContain('sbom.cdx.json');
  });

  it('lists the npm packages esbuild bundled, with the versions installed and their licenses, in valid CycloneDX 1.6', async () => {
    const sbom = await readFile(join(outDir, 'sbom.cdx.json'), 'utf8');
    expect(await cyclonedxSchemaErrors(sbom)).toBeNull();
    const { metadata, components } = JSON.parse(sbom) as { metadata: { component: object }; components: { name: string; group?: string; version: string; purl: string; licenses: object[] }[] };
    expect(metadata.component).toMatchObject({ type: 'application', name: 'hello', licenses: [{ license: { id: 'MIT' } }] });
    const installed = (name: string) => (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
    expect(components).toContainEqual(
      expect.objectContaining({ name: 'fastify', version: installed('fastify'), purl: `pkg:npm/fastify@${installed('fastify')}`, licenses: [{ license: { id: 'MIT' } }] }),
    );
    expect(components).toContainEqual(expect.objectContaining({ group: '@fastify', name: 'swagger-ui', purl: `pkg:npm/%40fastify/swagger-ui@${installed('@fastify/swagger-ui')}` }));
    // Bundled for the build only, never in the service: esbuild itself, and this repository's own libs/.
    expect(components.map((component) => component.name)).not.toContain('esbuild');
    expect(components.map((component) => component.name)).not.toContain('service-kit');
  });

  it('runs with no node_modules, serves its API and docs, and logs stack traces that name the TypeScript sources', async () => {
    // What a cache made by another Node, or for another bundle, looks like to V8: it must compile as if there were none.
    const cacheFile = join(outDir, 'server/service.cjs.cache');
    await writeFile(cacheFile, 'not a V8 code cache');
    const child = spawn(process.execPath, [join(outDir, 'server/main.mjs')], {
      cwd: outDir,
      env: { PORT: '0', PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Awaited even when the test fails: the directory is removed after it, so the process must be gone.
    const closed = once(child, 'close');
    const lines: string[] = [];
    try {
      const url = await new Promise<string>((resolve, reject) => {
        // Whole lines: a chunk may end in the middle of the address.
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          const found = /listening at (http:\/\/[\d.:]+)/.exec(line)?.[1];
          if (found) resolve(found);
        });
        child.once('exit', (code) => {
          reject(new Error(`bundle exited with ${String(code)}`));
        });
      });
      expect(await (await fetch(`${url}/api/hello`)).json()).toEqual({ hello: 'world' });
      expect((await fetch(`${url}/docs/static/swagger-ui.css`)).status).toBe(200);
      expect((await fetch(`${url}/api/broken`)).status).toBe(500);
    } finally {
      child.kill('SIGTERM');
      await closed;
    }
    // Logged before the 500 was sent, so it is among the lines read by the time the process closed.
    const failure = lines.map((line) => JSON.parse(line) as { msg: string; err?: { stack: string } }).find((entry) => entry.msg === 'request failed');
    expect(failure?.err?.stack).toMatch(/^Error: broken on purpose\n\s+at .*fixtures\/hello\/src\/main\.ts:\d+:\d+/);
    // Made anew after the first response, for the next start to use.
    expect(await readFile(cacheFile, 'utf8')).not.toBe('not a V8 code cache');
  });

  it('makes its code cache when started with --write-code-cache, as the image build does, and only warns when the service cannot start', async () => {
    const cacheFile = join(outDir, 'server/service.cjs.cache');
    const writeCache = (env: Record<string, string>) =>
      run(process.execPath, [join(outDir, 'server/main.mjs'), '--write-code-cache'], { cwd: outDir, env: { PATH: process.env.PATH, ...env } });
    await rm(cacheFile);
    await writeCache({});
    // What the start compiled on the way to answering /health, not only the module's top level: several times the
    // cache of the bundle compiled alone.
    const bundle = join(outDir, 'server/service.cjs');
    const compiledAlone = compileFunction(await readFile(bundle, 'utf8'), moduleParameters, { filename: bundle, produceCachedData: true }).cachedData?.length;
    expect(compiledAlone).toBeGreaterThan(1000);
    expect((await stat(cacheFile)).size).toBeGreaterThan(2 * (compiledAlone ?? 0));
    await rm(cacheFile);
    const { stderr } = await writeCache({ LOG_REQUESTS: 'maybe' });
    expect(stderr).toContain('LOG_REQUESTS must be true or false');
    expect(stderr).toContain('no code cache written, so each start compiles the service (it exited with 1)');
    await expect(stat(cacheFile)).rejects.toThrow('ENOENT');
  });

  it("holds the routes' validators and serializers, generated from the service's own schemas at build time", async () => {
    const { sources } = JSON.parse(await readFile(join(outDir, 'server/service.cjs.map'), 'utf8')) as { sources: string[] };
    expect(sources).toContain('precompiled-schemas:index.cjs');
    expect(sources.filter((source) => source.startsWith('precompiled-schemas:./serializer-')).length).toBeGreaterThan(0);
  });

  it('fails naming a bundled package and its license when the license policy does not allow it, leaving no bundle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bundle-policy-'));
    try {
      await writeFile(join(dir, 'policy.json'), JSON.stringify({ allowed: ['Apache-2.0'] }));
      const fastify = (createRequire(import.meta.url)('fastify/package.json') as { version: string }).version;
      await expect(bundleService(fixtureRoot, { outDir: join(dir, 'dist'), licensePolicy: join(dir, 'policy.json') })).rejects.toThrow(`  fastify@${fastify} is under MIT`);
      expect(await readdir(dir)).toEqual(['policy.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
