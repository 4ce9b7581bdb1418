import { CliError } from './errors.ts';
import { DOCKER_HUB, imageRepository, REGISTRY_KINDS, registryHost, type RegistryKind } from './naming.ts';

/** What the engine's X-Registry-Auth header carries (dockerode `authconfig`). Never printed. */
export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

export interface Credentials {
  auth: RegistryAuth;
  /** The variables they came from, e.g. `CI_REGISTRY_USER/CI_REGISTRY_PASSWORD`: what a message may name. */
  from: string;
}

/** GitLab's job token pair, or a Docker Hub user with an access token (never the account password). */
export const CREDENTIAL_VARIABLES: Record<RegistryKind, { user: string; password: string }> = {
  gitlab: { user: 'CI_REGISTRY_USER', password: 'CI_REGISTRY_PASSWORD' },
  dockerhub: { user: 'DOCKER_HUB_USER', password: 'DOCKER_HUB_TOKEN' },
};

const DOCKER_HUB_AUTH_ADDRESS = 'https://index.docker.io/v1/';

/** The credentials for pushing `repository`, from the variables of the service's registry kind; undefined when they are not set. */
export function findCredentials(kind: RegistryKind, repository: string, env: NodeJS.ProcessEnv): Credentials | undefined {
  const host = registryHost(repository);
  const variables = CREDENTIAL_VARIABLES[kind];
  const username = env[variables.user];
  const password = env[variables.password];
  if (host === undefined || !username || !password) return undefined;
  return {
    auth: { username, password, serveraddress: host === DOCKER_HUB ? DOCKER_HUB_AUTH_ADDRESS : host },
    from: `${variables.user}/${variables.password}`,
  };
}

/** Like findCredentials, but a push cannot go without them: the error says which variables to set. */
export function requireCredentials(kind: RegistryKind, repository: string, env: NodeJS.ProcessEnv): Credentials {
  const credentials = findCredentials(kind, repository, env);
  if (credentials) return credentials;
  if (registryHost(repository) === undefined) {
    const where =
      kind === 'gitlab' ? 'CI_REGISTRY_IMAGE (GitLab sets it in every job)' : 'DOCKER_HUB_USER (or DOCKER_HUB_NAMESPACE) for <DOCKER_HUB_REGISTRY, docker.io by default>/<namespace>/';
    throw new CliError(`"${repository}" is a local image name with no registry: set ${where}, or IMAGE_REPOSITORY / --repository`);
  }
  const { user, password } = CREDENTIAL_VARIABLES[kind];
  throw new CliError(`pushing to ${registryHost(repository) ?? ''} (registry kind "${kind}") needs ${user} and ${password} in the environment`);
}

/**
 * The credentials for pulling from wherever `repository` lives: those of the first registry kind whose images go to
 * the same host (the project's GitLab registry, Docker Hub or its DOCKER_HUB_REGISTRY), undefined for any other host.
 */
export function credentialsForHost(repository: string, env: NodeJS.ProcessEnv): Credentials | undefined {
  const host = registryHost(repository);
  for (const kind of REGISTRY_KINDS) {
    if (registryHost(imageRepository('probe', kind, env)) !== host) continue;
    const credentials = findCredentials(kind, repository, env);
    if (credentials) return credentials;
  }
  return undefined;
}
