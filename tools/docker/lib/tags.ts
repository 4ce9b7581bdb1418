import { parse as parseSemver } from 'semver';
import { envVar } from './env.ts';

/** The commit an image is built from, as CI variables or git describe it. */
export interface Revision {
  sha: string;
  /** The branch as GitLab slugs it (CI_COMMIT_REF_SLUG); absent for a tag or a detached checkout. */
  branchSlug?: string;
  /** The git tag being built (CI_COMMIT_TAG), e.g. `v1.2.3`. */
  tag?: string;
  /** ISO 8601 commit time: the image's `created` label, so the same commit gives the same labels. */
  committedAt?: string;
  /** Where the source lives (CI_PROJECT_URL), without credentials. */
  source?: string;
}

/**
 * GitLab's CI_COMMIT_REF_SLUG: lower-cased, everything but 0-9 and a-z replaced by `-`, at most 63
 * characters, no leading or trailing `-`. Always a valid Docker tag when not empty.
 */
export function refSlug(ref: string): string {
  return ref
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}

/**
 * A release tag: `v` and a semver, with an optional pre-release (`v1.2.3`, `v2.0.0-rc.1`); the pipeline's release and
 * deploy jobs run for these (and the default branch) only, on protected refs.
 */
// The same expression is the `=~` of every release and deploy rule in templates/ci (a test holds them together).
export const RELEASE_TAG = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** `v1.2.3` → 1.2.3, 1.2, 1 (as docker/metadata-action does: no `0` alone, a pre-release only in full). */
function semverTags(tag: string): string[] | undefined {
  const version = RELEASE_TAG.test(tag) ? parseSemver(tag) : null;
  if (!version) return undefined;
  if (version.prerelease.length > 0) return [version.version];
  const tags = [version.version, `${version.major}.${version.minor}`];
  if (version.major > 0) tags.push(String(version.major));
  return tags;
}

/**
 * The tags an image gets when built and pushed to the project's registry: the full commit SHA (what a pipeline tests
 * and hands on by digest), then `branch-<slug>` or, for any git tag, `tag-<slug>`. A branch or tag named `1`,
 * `latest` or `v1.2.3` never writes a tag a release owns: those are written by `release` only, on protected refs.
 */
export function imageTags(revision: Revision): [sha: string, ...named: string[]] {
  const { tag, branchSlug } = revision;
  const named = tag !== undefined ? [`tag-${refSlug(tag)}`] : branchSlug ? [`branch-${branchSlug}`] : [];
  return [revision.sha, ...named];
}

/**
 * The tags a release writes: for a release tag its semver forms (`1.2.3`, `1.2`, `1`); for the default branch
 * `latest`. Undefined for any other git tag, which is never released.
 */
export function releaseTags(revision: Revision): string[] | undefined {
  if (revision.tag === undefined) return ['latest'];
  return semverTags(revision.tag);
}

/** The version baked into the image (VERSION build arg, OCI version label): the semver of a tag, or a dev build of the commit. */
export function imageVersion(revision: Revision): string {
  const version = revision.tag === undefined ? undefined : parseSemver(revision.tag);
  if (version) return version.version;
  return revision.tag ?? `0.0.0-dev+${revision.sha.slice(0, 12)}`;
}

/** The revision GitLab CI describes in its predefined variables, or undefined outside a pipeline. */
export function revisionFromEnv(env: NodeJS.ProcessEnv): Revision | undefined {
  const sha = envVar(env, 'CI_COMMIT_SHA');
  if (sha === undefined) return undefined;
  const tag = envVar(env, 'CI_COMMIT_TAG');
  return {
    sha,
    // In a tag pipeline CI_COMMIT_REF_SLUG is the tag's slug, which the semver tags already cover.
    branchSlug: tag === undefined ? envVar(env, 'CI_COMMIT_REF_SLUG') : undefined,
    tag,
    committedAt: envVar(env, 'CI_COMMIT_TIMESTAMP'),
    source: envVar(env, 'CI_PROJECT_URL'),
  };
}

/** Where a git remote points, as a browsable https URL without any user or token in it. */
export function sourceUrl(remote: string): string | undefined {
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(\.git)?$/.exec(remote);
  if (scp) return `https://${scp[1] ?? ''}/${scp[2] ?? ''}`;
  try {
    const url = new URL(remote);
    if (!['https:', 'http:', 'ssh:'].includes(url.protocol)) return undefined;
    // An ssh port is not the web server's; an https one is.
    const host = url.protocol === 'ssh:' ? url.hostname : url.host;
    return `https://${host}${url.pathname.replace(/\.git$/, '')}`;
  } catch {
    return undefined;
  }
}
