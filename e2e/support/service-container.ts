import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { FAST_HEALTHCHECK, waitHealthy } from '../../tools/docker/lib/container-health.ts';
import { demuxLogs } from '../../tools/docker/lib/container-logs.ts';
import { freePort } from '../../tools/docker/lib/smoke-network.ts';

export interface ServiceContainer {
  url: string;
  healthy(): Promise<void>;
  /** The uid the service's process runs as, read from the host's /proc (the engine is on this machine). */
  uid(): Promise<number>;
  logs(): Promise<string>;
  remove(): Promise<void>;
}

/** Runs an image on the host network, bound to a free loopback port, as a deploy would run it. */
export async function startServiceContainer(docker: Docker, image: string): Promise<ServiceContainer> {
  const port = await freePort();
  const container = await docker.createContainer({
    name: `e2e-${randomUUID().slice(0, 8)}`,
    Image: image,
    Env: [`PORT=${port}`, 'HOST=127.0.0.1'],
    Healthcheck: FAST_HEALTHCHECK,
    HostConfig: { NetworkMode: 'host' },
  });
  await container.start();
  return {
    url: `http://127.0.0.1:${port}`,
    healthy: () => waitHealthy(container, 60_000),
    async uid() {
      const { State } = await container.inspect();
      const status = await readFile(`/proc/${State.Pid}/status`, 'utf8');
      return Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    },
    logs: async () => demuxLogs(await container.logs({ stdout: true, stderr: true })),
    remove: async () => {
      await container.remove({ force: true });
    },
  };
}
