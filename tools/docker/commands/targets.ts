import type Docker from 'dockerode';
import type { OptionSpecs, OptionValues } from '../lib/args.ts';
import { requireCredentials, type Credentials } from '../lib/credentials.ts';
import { CliError, errorMessage, UsageError } from '../lib/errors.ts';
import { readRevision } from '../lib/git.ts';
import { imageRepository, isRegistryKind, registryHost, REGISTRY_KINDS, type RegistryKind } from '../lib/naming.ts';
import { selectServices, type Service } from '../lib/services.ts';
import { imageTags, type Revision } from '../lib/tags.ts';
import { findWorkspaceRoot } from '../lib/workspace-root.ts';

/** How every image command chooses its projects and where their images go. */
export const targetOptions = {
  project: { type: 'string', multiple: true, placeholder: '<name>', description: 'An Nx project with a Dockerfile' },
  affected: {
    type: 'boolean',
    description: 'Every project with a Dockerfile that the change affects (nx show projects --affected, between NX_BASE and NX_HEAD)',
  },
  registry: {
    type: 'string',
    placeholder: '<gitlab|dockerhub>',
    description: "Registry kind to use instead of the project's metadata.service.registry",
  },
  repository: {
    type: 'string',
    placeholder: '<prefix>',
    env: 'IMAGE_REPOSITORY',
    description: "Image repository prefix: the image is <prefix>/<project> (default: the registry kind's)",
  },
} as const satisfies OptionSpecs;

/** One project's image: where it goes and the tags this commit gives it. */
export interface Target {
  service: Service;
  kind: RegistryKind | undefined;
  repository: string;
  /** The commit SHA first: what smoke and release default to. */
  tags: [sha: string, ...named: string[]];
}

export async function resolveTargets(values: OptionValues<typeof targetOptions>, env: NodeJS.ProcessEnv = process.env) {
  if (values.registry !== undefined && !isRegistryKind(values.registry)) {
    throw new UsageError(`--registry is "${values.registry}"; it must be one of: ${REGISTRY_KINDS.join(', ')}`);
  }
  const workspaceRoot = findWorkspaceRoot();
  const { selected, services } = await selectServices(values, workspaceRoot, env);
  const revision: Revision = await readRevision(workspaceRoot, env);
  const targetOf = (service: Service): Target => {
    const kind = (values.registry as RegistryKind | undefined) ?? service.registry;
    return { service, kind, repository: imageRepository(service.name, kind, env, values.repository), tags: imageTags(revision) };
  };
  const targets = selected.map(targetOf);
  /** Where the workspace's other services' images go, by the same rules. */
  const siblingsOf = (target: Target): string[] => services.filter((service) => service.name !== target.service.name).map((service) => targetOf(service).repository);
  return { targets, siblingsOf, revision, workspaceRoot };
}

export function hasRegistry(target: Target): boolean {
  return registryHost(target.repository) !== undefined;
}

export function credentialsFor(target: Target, env: NodeJS.ProcessEnv = process.env): Credentials {
  if (target.kind === undefined) {
    throw new CliError(`${target.service.root}/project.json has no metadata.service.registry: record one, or pass --registry gitlab|dockerhub`);
  }
  return requireCredentials(target.kind, target.repository, env);
}

/** Asks the registry, through the engine, whether it takes the credentials: a refusal names the variables, never their values. */
export async function checkLogin(docker: Docker, credentials: Credentials): Promise<void> {
  try {
    await docker.checkAuth(credentials.auth);
  } catch (error) {
    throw new CliError(`the registry ${credentials.auth.serveraddress} refused the credentials in ${credentials.from}: ${errorMessage(error)}`);
  }
}
