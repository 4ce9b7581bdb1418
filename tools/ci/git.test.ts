import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAncestorOfHead } from './git.ts';

describe('isAncestorOfHead, in a real repository', () => {
  const repo = mkdtempSync(join(tmpdir(), 'ci-git-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' }).trim();
  git('init', '--quiet', '--initial-branch=main');
  git('commit', '--quiet', '--allow-empty', '-m', 'first');
  const first = git('rev-parse', 'HEAD');
  git('checkout', '--quiet', '-b', 'side');
  git('commit', '--quiet', '--allow-empty', '-m', 'on a side branch');
  const side = git('rev-parse', 'HEAD');
  git('checkout', '--quiet', 'main');
  git('commit', '--quiet', '--allow-empty', '-m', 'second');
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  it('knows an ancestor and HEAD itself', async () => {
    expect(await isAncestorOfHead(first, repo)).toBe(true);
    expect(await isAncestorOfHead(git('rev-parse', 'HEAD'), repo)).toBe(true);
  });

  it('rejects a commit off to the side and one the clone does not have', async () => {
    expect(await isAncestorOfHead(side, repo)).toBe(false);
    expect(await isAncestorOfHead('f'.repeat(40), repo)).toBe(false);
  });

  it('fails outright outside a repository', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'ci-not-a-repo-'));
    await expect(isAncestorOfHead(first, elsewhere)).rejects.toThrow(/not a git repository/);
    rmSync(elsewhere, { recursive: true });
  });
});
