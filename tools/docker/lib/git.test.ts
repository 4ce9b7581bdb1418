import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from './errors.ts';
import { readRevision, revisionFromGit } from './git.ts';

describe('the revision of a real git checkout', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();

  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), 'docker-git-'));
    git('init', '-q', '-b', 'Feature/Login');
    git('config', 'user.email', 'dev@example.com');
    git('config', 'user.name', 'Dev');
    await writeFile(join(repo, 'file.txt'), 'one');
    git('add', '.');
    git('commit', '-q', '-m', 'one');
    git('remote', 'add', 'origin', 'https://user:token@gitlab.example.com/group/project.git'); // made up for the test: secretlint-disable-line
  });
  afterEach(() => rm(repo, { recursive: true, force: true }));

  it('names the branch by its slug, and the source without credentials', async () => {
    const revision = await revisionFromGit(repo);
    expect(revision).toMatchObject({ sha: git('rev-parse', 'HEAD'), branchSlug: 'feature-login', tag: undefined, source: 'https://gitlab.example.com/group/project' });
    expect(revision.committedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('prefers the highest semver tag at HEAD over the branch', async () => {
    git('tag', 'v1.2.0');
    git('tag', 'v1.10.0');
    git('tag', 'deployed');
    expect(await revisionFromGit(repo)).toMatchObject({ tag: 'v1.10.0', branchSlug: undefined });
  });

  it('has no branch when HEAD is detached', async () => {
    git('checkout', '-q', '--detach');
    expect((await revisionFromGit(repo)).branchSlug).toBeUndefined();
  });

  it('takes CI variables over git', async () => {
    expect(await readRevision(repo, { CI_COMMIT_SHA: 'f'.repeat(40), CI_COMMIT_REF_SLUG: 'main' })).toMatchObject({ sha: 'f'.repeat(40), branchSlug: 'main' });
  });

  it('says where tags come from outside a git checkout', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'docker-nogit-'));
    try {
      await expect(revisionFromGit(empty)).rejects.toThrow(CliError);
      await expect(revisionFromGit(empty)).rejects.toThrow('image tags come from CI_COMMIT_SHA or from git');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
