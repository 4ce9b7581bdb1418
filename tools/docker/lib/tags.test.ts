import { describe, expect, it } from 'vitest';
import { imageTags, imageVersion, refSlug, releaseTags, revisionFromEnv, sourceUrl } from './tags.ts';

const sha = '0123456789abcdef0123456789abcdef01234567';

describe('refSlug, as GitLab computes CI_COMMIT_REF_SLUG', () => {
  it.each([
    ['main', 'main'],
    ['feature/Add_Login', 'feature-add-login'],
    ['--weird--', 'weird'],
    ['v1.2.3', 'v1-2-3'],
    ['a'.repeat(70), 'a'.repeat(63)],
    [`${'a'.repeat(62)}/b`, 'a'.repeat(62)],
  ])('%s → %s', (ref, slug) => {
    expect(refSlug(ref)).toBe(slug);
  });
});

describe('imageTags', () => {
  it('tags a branch build with the commit SHA and branch-<slug>', () => {
    expect(imageTags({ sha, branchSlug: 'feature-x' })).toEqual([sha, 'branch-feature-x']);
  });

  it('tags a detached build with the SHA alone', () => {
    expect(imageTags({ sha })).toEqual([sha]);
  });

  it('slugs any git tag under tag-, a release tag too: its semver tags are the release job\'s to write', () => {
    expect(imageTags({ sha, tag: 'v1.4.2', branchSlug: 'main' })).toEqual([sha, 'tag-v1-4-2']);
    expect(imageTags({ sha, tag: 'Release/Spring' })).toEqual([sha, 'tag-release-spring']);
    expect(imageTags({ sha, tag: '1.2.3' })).toEqual([sha, 'tag-1-2-3']);
    expect(imageTags({ sha, tag: 'latest-thing' })).toEqual([sha, 'tag-latest-thing']);
  });

  it.each(['1', '1-2', 'latest', '1-2-3'])('never lets branch %s write a tag a release owns (a number, a semver, latest)', (branchSlug) => {
    expect(imageTags({ sha, branchSlug })).toEqual([sha, `branch-${branchSlug}`]);
  });
});

describe('releaseTags', () => {
  it('gives a release tag its semver forms', () => {
    expect(releaseTags({ sha, tag: 'v1.4.2' })).toEqual(['1.4.2', '1.4', '1']);
  });

  it('never tags a bare major 0, and tags a pre-release only in full', () => {
    expect(releaseTags({ sha, tag: 'v0.3.1' })).toEqual(['0.3.1', '0.3']);
    expect(releaseTags({ sha, tag: 'v2.0.0-rc.1' })).toEqual(['2.0.0-rc.1']);
  });

  it('moves latest for a branch (the release job runs for the default branch only)', () => {
    expect(releaseTags({ sha, branchSlug: 'main' })).toEqual(['latest']);
  });

  it.each(['1.2.3', 'nightly', 'v1.2'])('releases nothing for git tag %s, which is not v<semver>', (tag) => {
    expect(releaseTags({ sha, tag })).toBeUndefined();
  });
});

describe('imageVersion', () => {
  it('is the semver of a release tag, or a dev version naming the commit', () => {
    expect(imageVersion({ sha, tag: 'v1.4.2' })).toBe('1.4.2');
    expect(imageVersion({ sha, tag: 'nightly' })).toBe('nightly');
    expect(imageVersion({ sha, branchSlug: 'main' })).toBe('0.0.0-dev+0123456789ab');
  });
});

describe('revisionFromEnv', () => {
  it('reads the commit, branch slug, time and project URL of a GitLab job', () => {
    const env = { CI_COMMIT_SHA: sha, CI_COMMIT_REF_SLUG: 'main', CI_COMMIT_TAG: '', CI_COMMIT_TIMESTAMP: '2026-01-02T03:04:05+00:00', CI_PROJECT_URL: 'https://gitlab.com/g/p' };
    expect(revisionFromEnv(env)).toEqual({ sha, branchSlug: 'main', tag: undefined, committedAt: '2026-01-02T03:04:05+00:00', source: 'https://gitlab.com/g/p' });
  });

  it('drops the ref slug in a tag pipeline, where it is the tag', () => {
    expect(revisionFromEnv({ CI_COMMIT_SHA: sha, CI_COMMIT_REF_SLUG: 'v1-0-0', CI_COMMIT_TAG: 'v1.0.0' })).toMatchObject({ branchSlug: undefined, tag: 'v1.0.0' });
  });

  it('is undefined outside a pipeline', () => {
    expect(revisionFromEnv({})).toBeUndefined();
  });
});

describe('sourceUrl', () => {
  it.each([
    ['git@gitlab.com:group/project.git', 'https://gitlab.com/group/project'],
    // made up for the test: secretlint-disable-next-line
    ['https://gitlab-ci-token:secret@gitlab.example.com:8443/group/project.git', 'https://gitlab.example.com:8443/group/project'],
    ['ssh://git@gitlab.com:2222/group/project.git', 'https://gitlab.com/group/project'],
    ['/srv/git/project.git', undefined],
  ])('%s → %s', (remote, url) => {
    expect(sourceUrl(remote)).toBe(url);
  });
});
