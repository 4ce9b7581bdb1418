import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverServices } from '../lib/services.ts';

describe('discoverServices', () => {
  const root = mkdtemp(join(os.tmpdir(), 'bench-services-'));
  afterAll(async () => rm(await root, { recursive: true, force: true }));

  async function app(name: string, project: object | undefined) {
    const dir = join(await root, 'apps', name);
    await mkdir(dir, { recursive: true });
    if (project) await writeFile(join(dir, 'project.json'), JSON.stringify(project));
  }

  it('finds the apps whose project.json records service settings, in name order', async () => {
    await app('weather', { name: 'weather', metadata: { service: { description: 'Weather', port: 3001 } } });
    await app('fibonacci', { name: 'fibonacci', metadata: { service: { description: 'Fib', port: 3000 } } });
    await app('docs-site', { name: 'docs-site' });
    await app('no-project', undefined);

    const services = await discoverServices(await root);
    expect(services.map((service) => service.name)).toEqual(['fibonacci', 'weather']);
    expect(services[0]).toMatchObject({ settings: { port: 3000 }, bundle: join(await root, 'apps/fibonacci/dist/server/main.mjs') });
  });
});
