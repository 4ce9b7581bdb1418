import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFiles } from '../testing/write-files.ts';
import { contextFiles, packContext } from './build-context.ts';

describe('the build context', () => {
  let dir: string;
  const files = (entries: Record<string, string>) => writeFiles(dir, entries);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docker-context-'));
    await files({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': '*\n!dist/\ndist/**/*.map\n',
      'dist/server/main.mjs': 'console.log(1)',
      'dist/server/main.mjs.map': '{}',
      'dist/static/index.css': 'body{}',
      'src/main.ts': 'secret sources',
      'project.json': '{}',
    });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('holds what .dockerignore lets through, plus the Dockerfile and .dockerignore', async () => {
    expect(await contextFiles(dir)).toEqual(['.dockerignore', 'Dockerfile', 'dist/server/main.mjs', 'dist/static/index.css']);
  });

  it('holds every file when there is no .dockerignore', async () => {
    await rm(join(dir, '.dockerignore'));
    expect(await contextFiles(dir)).toEqual(['Dockerfile', 'dist/server/main.mjs', 'dist/server/main.mjs.map', 'dist/static/index.css', 'project.json', 'src/main.ts']);
  });

  it('packs exactly those files into the tar sent to the engine', async () => {
    const out = await mkdtemp(join(tmpdir(), 'docker-context-out-'));
    try {
      await pipeline(packContext(dir, await contextFiles(dir)), extract(out));
      expect((await readdir(out, { recursive: true })).sort()).toEqual(['.dockerignore', 'Dockerfile', 'dist', 'dist/server', 'dist/server/main.mjs', 'dist/static', 'dist/static/index.css']);
      expect(await readFile(join(out, 'dist/server/main.mjs'), 'utf8')).toBe('console.log(1)');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('sends a generated file in place of the one on disk, leaving the disk as it was', async () => {
    const out = await mkdtemp(join(tmpdir(), 'docker-context-out-'));
    try {
      await pipeline(packContext(dir, await contextFiles(dir), { 'dist/server/main.mjs': 'console.log(2)' }), extract(out));
      expect(await readFile(join(out, 'dist/server/main.mjs'), 'utf8')).toBe('console.log(2)');
      expect(await readFile(join(dir, 'dist/server/main.mjs'), 'utf8')).toBe('console.log(1)');
      expect((await readdir(out, { recursive: true })).filter((file) => file.endsWith('.mjs'))).toEqual(['dist/server/main.mjs']);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
