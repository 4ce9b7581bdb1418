import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runLoad } from '../lib/load.ts';
import { expectHealthy, services, startBundle, validPathsOf } from './support.ts';

/** Low enough that a flood on two cores is certain to pass it; the default (1000 ms) is for real hosts. */
const maxEventLoopDelayMs = 20;
const flood = { connections: 200, pipelining: 10, durationSeconds: 10 };

describe.each(services)('$name overloaded', (service) => {
  it('sheds the excess with 503 + Retry-After instead of falling over, keeps /health up, and recovers', async () => {
    const server = await startBundle(service, { MAX_EVENT_LOOP_DELAY_MS: String(maxEventLoopDelayMs) });
    const paths = await validPathsOf(server);
    const shed = { total: 0, withoutRetryAfter: 0, notJson: 0 };
    const requests = paths.map((path) => ({
      method: 'GET' as const,
      path,
      onResponse: (status: number, body: string, _context: object, headers: Record<string, unknown> = {}) => {
        if (status !== 503) return;
        shed.total++;
        if (!Object.keys(headers).some((name) => name.toLowerCase() === 'retry-after')) shed.withoutRetryAfter++;
        if (!isKitError(body, 503)) shed.notJson++;
      },
    }));

    const liveness = probeUntil(`${server.url}/health`);
    const result = await runLoad({ url: server.url, requests, ...flood });
    const healthStatuses = await liveness.stop();

    console.log(`${service.name}: ${JSON.stringify(result.statusCounts)} under a flood of ${flood.connections}×${flood.pipelining}; /health answered ${JSON.stringify(countOf(healthStatuses))}`);
    expect({ errors: result.errors, timeouts: result.timeouts }, 'requests that got no answer').toEqual({ errors: 0, timeouts: 0 });
    expect(Object.keys(result.statusCounts).sort()).toEqual(['200', '503']);
    expect(shed).toMatchObject({ withoutRetryAfter: 0, notJson: 0 });
    expect(healthStatuses.length).toBeGreaterThan(0);
    expect(healthStatuses.every((status) => status === 200), `/health answered ${healthStatuses.join(' ')}`).toBe(true);

    await waitUntilReady(server.url);
    await expectHealthy(server, paths);
  });
});

function isKitError(body: string, statusCode: number): boolean {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return parsed.statusCode === statusCode && typeof parsed.message === 'string' && typeof parsed.error === 'string';
  } catch {
    return false;
  }
}

/** GETs a URL over and over (each bounded to 10 s) until stopped; resolves to the statuses seen. */
function probeUntil(url: string) {
  const stopped = new AbortController();
  const statuses: (number | string)[] = [];
  const done = (async () => {
    while (!stopped.signal.aborted) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        statuses.push(response.status);
      } catch (error) {
        statuses.push(error instanceof Error ? error.message : String(error));
      }
      await sleep(100);
    }
  })();
  return {
    stop: async () => {
      stopped.abort();
      await done;
      return statuses;
    },
  };
}

/** /ready answers 503 while the service sheds load; wait (bounded) for it to pass. */
async function waitUntilReady(baseUrl: string) {
  let status = 0;
  for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
    if (attempt > 0) await sleep(200);
    status = (await fetch(`${baseUrl}/ready`)).status;
  }
  expect(status, 'ready again after the flood').toBe(200);
}

function countOf(values: (number | string)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}
