import { createServer } from 'node:net';

export interface SmokeNetwork {
  /** Where this process reaches a container on the engine's host network. */
  host: string;
  /** True when the engine runs on this machine, so a free port can be found here and the service kept to loopback. */
  local: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Smoke containers use the engine's host network (this machine has no bridge): a local engine's containers
 * answer on 127.0.0.1; a remote one's (GitLab's docker:dind at tcp://docker:2376) on DOCKER_HOST's host name.
 */
export function smokeNetwork(env: NodeJS.ProcessEnv): SmokeNetwork {
  const dockerHost = env.DOCKER_HOST ?? '';
  if (!/^(tcp|ssh|https?):\/\//.test(dockerHost)) return { host: '127.0.0.1', local: true };
  const { hostname } = new URL(dockerHost);
  return LOOPBACK.has(hostname) ? { host: '127.0.0.1', local: true } : { host: hostname, local: false };
}

/** A TCP port nothing listens on right now on 127.0.0.1 (the kernel picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP address to pick a port from');
  return address.port;
}
