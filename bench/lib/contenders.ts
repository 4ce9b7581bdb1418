import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { systemPython } from './machine.ts';
import type { ServerCommand } from './server-process.ts';
import type { ServiceProject } from './services.ts';

/** How each server in a comparison is started; each factory takes the port it should listen on. */
export type Launcher = (port: number) => ServerCommand;

const serversDir = fileURLToPath(new URL('../servers/', import.meta.url));

/** Our service as it ships: the bundle, one Node process, with the image's environment. */
export function bundledService(service: ServiceProject, env: Record<string, string> = {}): Launcher {
  return (port) => ({
    command: process.execPath,
    args: [service.bundle],
    env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...env },
  });
}

/** The same service run from its TypeScript sources, as `npm start` does (without --watch). */
export function serviceFromSources(service: ServiceProject): Launcher {
  return (port) => ({
    command: process.execPath,
    args: ['src/main.ts'],
    cwd: service.root,
    env: { HOST: '127.0.0.1', PORT: String(port) },
  });
}

/** node:http answering the given bodies and nothing else: a path → body map, or a JSON file of one (for a large table). */
export function bareNode(bodies: Record<string, string> | { file: string }): Launcher {
  const table: Record<string, string> = typeof bodies.file === 'string' ? { BODIES_FILE: bodies.file } : { BODIES: JSON.stringify(bodies) };
  return (port) => ({
    command: process.execPath,
    args: [`${serversDir}bare-node.mjs`],
    env: { PORT: String(port), ...table },
  });
}

/** Fastify alone answering the same bodies: the framework's own cost, without the kit. */
export function plainFastify(bodies: Record<string, string>): Launcher {
  return (port) => ({
    command: process.execPath,
    args: [`${serversDir}plain-fastify.ts`],
    env: { PORT: String(port), BODIES: JSON.stringify(bodies) },
  });
}

/**
 * The original stack as its tutorial runs it: Falcon under `gunicorn --bind … fibonacci:app`, gunicorn's
 * default of one sync worker, the same one process our service is. `workers` gives it more: one per core
 * shows what the original could do with every core against our single process.
 */
export function falconOriginal(env: Record<string, string> = {}, workers = 1): Launcher {
  return (port) => ({
    command: systemPython,
    args: ['-m', 'gunicorn', '--bind', `127.0.0.1:${port}`, '--workers', String(workers), '--chdir', serversDir, 'falcon_fibonacci:app'],
    env: { PYTHONDONTWRITEBYTECODE: '1', ...env },
  });
}

/** The original with one gunicorn worker per core. */
export function falconPerCore(): Launcher {
  return falconOriginal({}, os.availableParallelism());
}

/** Why the Falcon original cannot run here, or undefined when it can. */
export function falconMissing(): string | undefined {
  const probe = spawnSync(systemPython, ['-c', 'import falcon, gunicorn'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `${systemPython} with falcon and gunicorn not found (apt-get install -y python3-falcon gunicorn)`;
}
