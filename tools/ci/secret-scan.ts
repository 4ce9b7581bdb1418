import { execFile } from 'node:child_process';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { emptyReport, formatFinding, scanInto, type ScanReport } from '../secrets/scan.ts';
import type { AffectedBase } from './affected-base.ts';

const run = promisify(execFile);

/**
 * The files the change adds or modifies since its base, or every tracked file when everything counts as affected
 * (a first pipeline, a schedule). Deleted files are gone from the checkout; git still has them, which only rewriting
 * history (and revoking the secret) mends.
 */
export async function changedFiles(base: AffectedBase, cwd: string): Promise<string[]> {
  const args = base.kind === 'all' ? ['ls-files', '-z'] : ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=d', base.sha, 'HEAD'];
  const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\0').filter((file) => file !== '');
}

/** Scans each file as it is in the checkout; a symbolic link is its target's business, scanned where that is. */
export async function scanFiles(files: string[], cwd: string): Promise<ScanReport> {
  const report = emptyReport();
  for (const file of files) {
    const path = join(cwd, file);
    if (!(await lstat(path)).isFile()) continue;
    await scanInto(report, { file, content: await readFile(path) });
  }
  return report;
}

/** What the job prints: each finding with its value masked, then a line that says what was scanned. */
export function describeScan({ findings, files, binaries, tooLarge }: ScanReport, what: string): string[] {
  return [
    ...findings.map(formatFinding),
    ...tooLarge.map((file) => `not scanned, too large: ${file}`),
    `${findings.length === 0 ? 'no secret' : `${findings.length} secret${findings.length === 1 ? '' : 's'}`} in ${files} text files of ${what} (${binaries} binary files not read)`,
  ];
}
