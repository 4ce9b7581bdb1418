import { expect, onTestFinished } from 'vitest';
import { bundledService } from '../lib/contenders.ts';
import { fetchOpenApi, validGetPaths } from '../lib/openapi.ts';
import { startServer, type RunningServer } from '../lib/server-process.ts';
import { discoverServices, type ServiceProject } from '../lib/services.ts';

export const services = await discoverServices();

/** The service's bundle on a free loopback port, stopped when the test ends. */
export async function startBundle(service: ServiceProject, env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startServer(service.name, bundledService(service, env));
  onTestFinished(() => server.stop());
  return server;
}

/** GETs the service documents, with values its schemas accept: each must answer 2xx. */
export async function validPathsOf(server: RunningServer): Promise<string[]> {
  const paths = validGetPaths(await fetchOpenApi(server.url));
  expect(paths.length).toBeGreaterThan(0);
  return paths;
}

/** Still running, /health 200, and every valid GET answered 200. */
export async function expectHealthy(server: RunningServer, paths: string[]) {
  expect(server.child.exitCode, server.output()).toBeNull();
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
  for (const path of paths) expect((await fetch(server.url + path)).status, path).toBe(200);
}

/** A whole number of seconds from the environment, so a developer can shorten a run; CI uses the default. */
export function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a whole number of seconds, got "${raw}"`);
  return Number(raw);
}
