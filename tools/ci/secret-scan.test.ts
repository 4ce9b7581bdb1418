import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plantedGitLabToken } from '../secrets/testing/planted.ts';
import { changedFiles, describeScan, scanFiles } from './secret-scan.ts';

describe('the change scan, in a real repository', () => {
  const repo = mkdtempSync(join(tmpdir(), 'ci-secrets-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' }).trim();
  const token = plantedGitLabToken();
  git('init', '--quiet', '--initial-branch=main');
  writeFileSync(join(repo, 'README.md'), '# a service\n');
  writeFileSync(join(repo, 'old.txt'), 'to be deleted\n');
  writeFileSync(join(repo, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]));
  git('add', '.');
  git('commit', '--quiet', '-m', 'first');
  const first = git('rev-parse', 'HEAD');
  writeFileSync(join(repo, 'README.md'), '# a service\n\nIt answers on port 3000.\n');
  writeFileSync(join(repo, '.env.ci'), `PORT=3000\nGITLAB_TOKEN=${token}\n`);
  symlinkSync('.env.ci', join(repo, 'env-link'));
  git('rm', '--quiet', 'old.txt');
  git('add', '.');
  git('commit', '--quiet', '-m', 'second');
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  it('takes the files the change adds or modifies, not those it deletes; every tracked file for all', async () => {
    expect((await changedFiles({ kind: 'since', sha: first, notes: [] }, repo)).sort()).toEqual(['.env.ci', 'README.md', 'env-link']);
    expect((await changedFiles({ kind: 'all', notes: [] }, repo)).sort()).toEqual(['.env.ci', 'README.md', 'env-link', 'logo.png']);
  });

  it('names the file, line and rule of a planted token, never its value, and counts what it could not read', async () => {
    const report = await scanFiles(await changedFiles({ kind: 'all', notes: [] }, repo), repo);
    const lines = describeScan(report, 'the repository');
    expect(lines).toEqual([
      expect.stringMatching(/^\.env\.ci:2:14 {2}@secretlint\/secretlint-rule-gitlab {2}found GitLab Personal Access Token: \*+$/),
      '1 secret in 2 text files of the repository (1 binary files not read)',
    ]);
    expect(lines.join('\n')).not.toContain(token.slice(6));
  });

  it('says so when it finds nothing', async () => {
    expect(describeScan(await scanFiles(['README.md'], repo), 'the change since abc')).toEqual(['no secret in 1 text files of the change since abc (0 binary files not read)']);
  });
});
