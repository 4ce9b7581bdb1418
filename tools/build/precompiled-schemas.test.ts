import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateSchemaSources } from './precompiled-schemas.ts';

describe('generateSchemaSources', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('leaves the schemas to be compiled at start, with a warning naming why, when the service cannot start to write them', async () => {
    const root = await mkdtemp(join(tmpdir(), 'schema-sources-'));
    try {
      await mkdir(join(root, 'src'));
      await writeFile(join(root, 'src/main.ts'), "console.error('orders: ORDERS_DB_URL is required'); process.exit(1);\n");
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      expect(await generateSchemaSources(root)).toBeUndefined();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('ORDERS_DB_URL is required'));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
