import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, onTestFinished } from 'vitest';
import { bundledService } from '../lib/contenders.ts';
import { fetchOpenApi, validGetPaths } from '../lib/openapi.ts';
import { startServer, type RunningServer } from '../lib/server-process.ts';
import { discoverServices, type ServiceProject } from '../lib/services.ts';

export const services = await discoverServices();

/** A local stand-in for the APIs a service calls, as its test/fake-upstream/server.ts makes one (apps/weather has one). */
export interface FakeUpstream {
  url: string;
  requests: readonly URL[];
  fail(fault: string, pathname?: string): void;
  heal(): void;
  close(): Promise<void>;
}

interface FakeUpstreamModule {
  startFakeUpstream(): Promise<FakeUpstream>;
  /** The service's settings that point it at the fake. */
  upstreamEnv(url: string): Record<string, string>;
  faults: readonly string[];
}

/** The service's fake upstream module, if it calls other APIs and ships one; the checks never reach the internet. */
export async function fakeUpstreamOf(service: ServiceProject): Promise<FakeUpstreamModule | undefined> {
  const file = join(service.root, 'test/fake-upstream/server.ts');
  return existsSync(file) ? ((await import(pathToFileURL(file).href)) as FakeUpstreamModule) : undefined;
}

export interface ServiceUnderTest extends RunningServer {
  /** Its fake upstream, when it has one; what it asks goes there. */
  upstream?: FakeUpstream;
}

/**
 * Every request of a check comes from one loopback client, so the per-client rate limit is off unless a
 * check turns it on (rate-limit.check.ts): the others measure something else.
 */
const noRateLimit = { RATE_LIMIT_PER_MINUTE: '0' };

/** The service's bundle on a free loopback port (with its fake upstream, if any), stopped when the test ends. */
export async function startBundle(service: ServiceProject, env: Record<string, string> = {}): Promise<ServiceUnderTest> {
  const fakes = await fakeUpstreamOf(service);
  const upstream = await fakes?.startFakeUpstream();
  if (upstream) onTestFinished(() => upstream.close());
  const server = await startServer(service.name, bundledService(service, { ...noRateLimit, ...fakes?.upstreamEnv(upstream?.url ?? ''), ...env }));
  onTestFinished(() => server.stop());
  return { ...server, upstream };
}

/**
 * The GETs the service documents, filled with values its schemas accept, that it answers with a 2xx
 * at rest: what it must keep answering under stress. The ones it refuses at rest are printed.
 */
export async function validPathsOf(server: RunningServer): Promise<string[]> {
  const valid: string[] = [];
  const refused: string[] = [];
  for (const path of validGetPaths(await fetchOpenApi(server.url))) {
    const response = await fetch(server.url + path);
    await response.arrayBuffer();
    (response.ok ? valid : refused).push(response.ok ? path : `${path} → ${response.status}`);
  }
  if (refused.length > 0) console.log(`${server.name}: documented GETs refused at rest, left out: ${refused.join(', ')}`);
  expect(valid.length).toBeGreaterThan(0);
  return valid;
}

/** Still running, /health 200, and every valid GET answered 2xx. */
export async function expectHealthy(server: RunningServer, paths: string[]) {
  expect(server.child.exitCode, server.output()).toBeNull();
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
  for (const path of paths) expect((await fetch(server.url + path)).ok, path).toBe(true);
}

/** A whole number of seconds from the environment, so a developer can shorten a run; CI uses the default. */
export function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a whole number of seconds, got "${raw}"`);
  return Number(raw);
}
