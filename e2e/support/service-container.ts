import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { healthcheckCommand, waitServing } from '../../tools/docker/lib/container-health.ts';
import { demuxLogs } from '../../tools/docker/lib/container-logs.ts';
import { freePort } from '../../tools/docker/lib/smoke-network.ts';

export interface ServiceContainer {
  url: string;
  /** Waits until it answers /health, then runs the image's HEALTHCHECK once, as `tools/docker smoke` does. */
  healthy(): Promise<void>;
  /** The uid the service's process runs as, read from the host's /proc (the engine is on this machine). */
  uid(): Promise<number>;
  logs(): Promise<string>;
  remove(): Promise<void>;
}

/** Runs an image on the host network, bound to a free loopback port, as a deploy would run it. */
export async function startServiceContainer(docker: Docker, image: string): Promise<ServiceContainer> {
  const healthcheck = healthcheckCommand((await docker.getImage(image).inspect()).Config.Healthcheck?.Test);
  if (healthcheck === undefined) throw new Error(`${image} has no HEALTHCHECK`);
  const port = await freePort();
  const container = await docker.createContainer({
    name: `e2e-${randomUUID().slice(0, 8)}`,
    Image: image,
    Env: [`PORT=${port}`, 'HOST=127.0.0.1'],
    HostConfig: { NetworkMode: 'host' },
  });
  await container.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    healthy: () => waitServing(container, new URL('/health', url), healthcheck, 60_000),
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
