import { describe, expect, it } from 'vitest';
import { fetchOpenApi, validGetPaths } from '../lib/openapi.ts';
import { fakeUpstreamOf, services, startBundle } from './support.ts';

/** The service's own upstream timeout (weather: 3 s by default) plus room for a loaded machine. */
const answerWithinMs = 5_000;

const withUpstream = (await Promise.all(services.map(async (service) => ({ service, fakes: await fakeUpstreamOf(service) })))).flatMap(({ service, fakes }) =>
  fakes ? [{ name: service.name, service, faults: fakes.faults }] : [],
);

describe.each(withUpstream)('$name when its upstream misbehaves', ({ service, faults }) => {
  // Learnt once, on an instance of its own, because asking primes the service's cache.
  let reachUpstream: string[] = [];

  it('has documented GETs that reach its upstream', async () => {
    const server = await startBundle(service);
    const upstream = server.upstream;
    if (upstream === undefined) throw new Error('no fake upstream was started');
    reachUpstream = [];
    for (const path of validGetPaths(await fetchOpenApi(server.url))) {
      const before = upstream.requests.length;
      const response = await fetch(server.url + path);
      await response.arrayBuffer();
      if (response.ok && upstream.requests.length > before) reachUpstream.push(path);
    }
    console.log(`${service.name}: GETs that reach the upstream: ${reachUpstream.join(', ') || 'none'}`);
    expect(reachUpstream.length).toBeGreaterThan(0);
  });

  it.each(faults)(`answers 502 or 504 with a JSON error within ${answerWithinMs} ms when the upstream fails with "%s", and recovers`, async (fault) => {
    expect(reachUpstream.length, 'the GETs that reach the upstream (found by the test before)').toBeGreaterThan(0);
    // A fresh instance: nothing cached, so every request below goes upstream.
    const server = await startBundle(service);
    const upstream = server.upstream;
    if (upstream === undefined) throw new Error('no fake upstream was started');

    upstream.fail(fault);
    for (const path of reachUpstream) {
      const startedAt = performance.now();
      const response = await fetch(server.url + path, { signal: AbortSignal.timeout(answerWithinMs * 2) });
      const body = (await response.json()) as { statusCode?: number; message?: string };
      const ms = Math.round(performance.now() - startedAt);
      console.log(`${service.name}: upstream ${fault}: GET ${path} → ${response.status} in ${ms} ms: ${body.message ?? ''}`);
      expect([502, 504], path).toContain(response.status);
      expect(body.statusCode).toBe(response.status);
      expect(ms, `${path} answered after ${ms} ms`).toBeLessThanOrEqual(answerWithinMs);
    }

    upstream.heal();
    for (const path of reachUpstream) expect((await fetch(server.url + path)).status, `${path} once the upstream is healthy again`).toBe(200);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
