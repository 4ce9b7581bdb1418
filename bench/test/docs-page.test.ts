import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchmarksPage, updateBenchmarksPage, withBenchTables } from '../lib/docs-page.ts';
import { workspaceRoot } from '../lib/services.ts';

describe('the benchmarks page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-docs-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets the new tables between its markers, and keeps the hand-written text around them', async () => {
    const file = join(dir, 'benchmarks.md');
    writeFileSync(file, '# Benchmarks\n\nBy hand.\n\n<!-- bench:start -->\n#### Old\n<!-- bench:end -->\n\nAfter.\n');
    await updateBenchmarksPage(file, '#### New\n\n| a |\n');
    expect(readFileSync(file, 'utf8')).toBe('# Benchmarks\n\nBy hand.\n\n<!-- bench:start -->\n#### New\n\n| a |\n<!-- bench:end -->\n\nAfter.\n');
  });

  it('refuses a page without the markers, naming it', () => {
    expect(() => withBenchTables('# Benchmarks\n', '#### New\n')).toThrow(`${benchmarksPage} has no <!-- bench:start -->`);
  });

  it('is docs/benchmarks.md, which has the markers', () => {
    const page = readFileSync(join(workspaceRoot, benchmarksPage), 'utf8');
    expect(withBenchTables(page, 'tables\n')).toContain('<!-- bench:start -->\ntables\n<!-- bench:end -->');
  });
});
