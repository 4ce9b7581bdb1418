import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleService } from './bundle.ts';

const fixtureRoot = fileURLToPath(new URL('./fixtures/hello', import.meta.url));

describe('bundleService', () => {
  // Outside the workspace, so nothing can be resolved from node_modules: the bundle must stand alone.
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'bundle-'));
    await bundleService(fixtureRoot, outDir);
  });
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it('writes the entry, the service, its source map and the Swagger UI assets', async () => {
    expect((await readdir(join(outDir, 'server'))).sort()).toEqual(['main.mjs', 'service.mjs', 'service.mjs.map']);
    expect(await readdir(join(outDir, 'static'))).toContain('swagger-ui-bundle.js');
  });

  it('runs with no node_modules, serves its API and docs, and logs stack traces that name the TypeScript sources', async () => {
    const child = spawn(process.execPath, [join(outDir, 'server/main.mjs')], {
      cwd: outDir,
      env: { PORT: '0', PATH: process.env.PATH, NODE_COMPILE_CACHE: join(outDir, 'compile-cache') },
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
    // Written as the process exits, for the next start to use.
    const cached = await readdir(join(outDir, 'compile-cache'), { recursive: true, withFileTypes: true });
    expect(cached.filter((entry) => entry.isFile()).length).toBeGreaterThan(0);
  });
});
