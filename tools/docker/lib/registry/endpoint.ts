import { DOCKER_HUB, registryHost } from '../naming.ts';

/** Where a repository's registry API answers, and the repository's name inside that registry. */
export interface Endpoint {
  /** The host as the image reference names it (what messages name). */
  host: string;
  /** e.g. https://registry.gitlab.com, http://127.0.0.1:5000 */
  origin: string;
  /** The repository's path in the registry, e.g. acme/app/fibonacci, library/node */
  name: string;
}

// Docker Hub's API is not at docker.io itself.
const DOCKER_HUB_API = 'registry-1.docker.io';

/** As the Docker engine: plain HTTP for a registry on loopback, HTTPS for any other. */
function isLoopback(host: string): boolean {
  const hostname = host.replace(/:\d+$/, '');
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

export function registryEndpoint(repository: string): Endpoint | undefined {
  const host = registryHost(repository);
  if (host === undefined) return undefined;
  const path = repository.startsWith(`${host}/`) ? repository.slice(host.length + 1) : repository;
  // Docker Hub's official images live under library/.
  const name = host === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  const apiHost = host === DOCKER_HUB ? DOCKER_HUB_API : host;
  return { host, origin: `${isLoopback(apiHost) ? 'http' : 'https'}://${apiHost}`, name };
}
