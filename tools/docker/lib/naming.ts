import { CliError } from './errors.ts';
import { envVar } from './env.ts';

export const REGISTRY_KINDS = ['gitlab', 'dockerhub'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

export function isRegistryKind(value: unknown): value is RegistryKind {
  return REGISTRY_KINDS.includes(value as RegistryKind);
}

// Docker's reference grammar (distribution/reference): an optional host[:port], then lower-case path components.
const HOST = String.raw`(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?)`;
const COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const REPOSITORY = new RegExp(String.raw`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*$`);
const REGISTRY_HOST = new RegExp(`^${HOST}$`);

/** Docker Hub's registry host, unless DOCKER_HUB_REGISTRY names another (a mirror, or a registry on loopback in tests). */
export const DOCKER_HUB = 'docker.io';

export function dockerHubHost(env: NodeJS.ProcessEnv): string {
  const host = envVar(env, 'DOCKER_HUB_REGISTRY') ?? DOCKER_HUB;
  if (!REGISTRY_HOST.test(host)) throw new CliError(`DOCKER_HUB_REGISTRY is "${host}": it must be a registry host[:port], e.g. docker.io`);
  return host;
}

/**
 * Where a project's image goes:
 *   IMAGE_REPOSITORY (or --repository) set   <that prefix>/<project>      e.g. a registry on loopback
 *   gitlab, CI_REGISTRY_IMAGE set            $CI_REGISTRY_IMAGE/<project>
 *   dockerhub, a namespace set               <DOCKER_HUB_REGISTRY, docker.io by default>/<DOCKER_HUB_NAMESPACE or DOCKER_HUB_USER>/<project>
 *   otherwise                                <project>                    a local image, nothing to push to
 */
export function imageRepository(project: string, kind: RegistryKind | undefined, env: NodeJS.ProcessEnv, override?: string): string {
  const hubNamespace = envVar(env, 'DOCKER_HUB_NAMESPACE') ?? envVar(env, 'DOCKER_HUB_USER');
  const prefix =
    (override === '' ? undefined : override) ??
    envVar(env, 'IMAGE_REPOSITORY') ??
    (kind === 'gitlab' ? envVar(env, 'CI_REGISTRY_IMAGE') : undefined) ??
    (kind === 'dockerhub' && hubNamespace !== undefined ? `${dockerHubHost(env)}/${hubNamespace}` : undefined);
  const repository = prefix ? `${prefix.replace(/\/+$/, '')}/${project}` : project;
  if (!REPOSITORY.test(repository)) {
    throw new CliError(`"${repository}" is not a valid image repository: lower-case letters, digits and . _ - separators, after an optional registry host[:port]`);
  }
  return repository;
}

/** The registry a repository lives in: its first component when that names a host (has `.` or `:`, or is localhost). */
export function registryHost(repository: string): string | undefined {
  const [first, ...rest] = repository.split('/');
  if (rest.length === 0 || first === undefined) return undefined;
  // Docker's own rule: a name without a host is on Docker Hub, whatever mirror DOCKER_HUB_REGISTRY names.
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : DOCKER_HUB;
}

/** A reference pinned by digest, as the image job hands it on: `<repository>@sha256:<64 hex>`. */
export interface PinnedImage {
  repository: string;
  digest: string;
}

const PINNED = /^(?<repository>[^@\s]+)@(?<digest>sha256:[0-9a-f]{64})$/;

/** Parses `<repository>@sha256:…`; anything else (a tag, a bare name) is refused, naming what was given. */
export function parsePinnedImage(reference: string, option: string): PinnedImage {
  const { repository = '', digest = '' } = PINNED.exec(reference)?.groups ?? {};
  if (!REPOSITORY.test(repository)) {
    throw new CliError(`${option} is "${reference}": it must be an image pinned by digest, <repository>@sha256:<64 hex digits>, e.g. the TESTED_IMAGE the image job hands on`);
  }
  return { repository, digest };
}

/** The parts of `[host[:port]/]path[:tag][@sha256:…]`: a colon after the last slash starts the tag, not a port. */
export function splitImageReference(reference: string): { repository: string; tag?: string; digest?: string } {
  const [named = reference, digest] = reference.split('@');
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  return { repository: hasTag ? named.slice(0, colon) : named, ...(hasTag ? { tag: named.slice(colon + 1) } : {}), ...(digest ? { digest } : {}) };
}
