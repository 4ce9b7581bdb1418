import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildWithUpstream, providers } from '../upstream-helper.ts';

/** Upstream requests one lookup costs: Open-Meteo geocodes a city first, OpenWeather does it in one. */
const upstreamPaths = { 'open-meteo': ['/v1/search', '/v1/forecast'], openweather: ['/data/2.5/weather'] } as const;

/**
 * Resolves once the route has handled `count` requests as far as it goes at once (Fastify's handler:end): up to
 * asking the weather cache, which joins the upstream call in flight for the same place, or starts it. While the
 * upstream holds that call, all of them are then waiting on it.
 */
function handled(count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onEnd = () => {
      seen += 1;
      if (seen === count) resolve();
    };
    subscribe('tracing:fastify.request.handler:end', onEnd);
    onTestFinished(() => {
      unsubscribe('tracing:fastify.request.handler:end', onEnd);
    });
  });
}

describe.each(providers)('the cache in front of %s', (provider) => {
  const callsPerLookup = upstreamPaths[provider].length;

  it('answers the same place again from the cache, whatever the case of its name', async () => {
    // Longer than any test may run, so that a busy machine cannot expire an entry the test expects a hit on.
    const { app, fake } = await buildWithUpstream(provider, { service: { cacheTtlMs: 3_600_000 } });
    const first = await app.inject('/api/weather?city=London');
    const again = await app.inject('/api/weather?city=LONDON');
    const spaced = await app.inject('/api/weather?city=%20london%20');
    expect([again.body, spaced.body]).toEqual([first.body, first.body]);
    expect(fake.requests).toHaveLength(callsPerLookup);
    for (const path of upstreamPaths[provider]) expect(fake.count(path)).toBe(1);
  });

  it('asks again for other units, and once the entry has expired', async () => {
    const { app, fake } = await buildWithUpstream(provider, { service: { cacheTtlMs: 50 } });
    await app.inject('/api/weather?city=London');
    await app.inject('/api/weather?city=London&units=imperial');
    expect(fake.requests).toHaveLength(2 * callsPerLookup);
    await sleep(120);
    await app.inject('/api/weather?city=London');
    expect(fake.requests).toHaveLength(3 * callsPerLookup);
  });

  it('makes one upstream call for a burst of identical requests', async () => {
    // Hold the first upstream request open, past no deadline, until every request of the burst is waiting on it.
    const { app, fake } = await buildWithUpstream(provider, {}, { slowTimesOut: false });
    fake.fail('slow');
    const waiting = handled(25);
    const burst = Array.from({ length: 25 }, () => app.inject('/api/weather?city=London'));
    await waiting;
    fake.heal();
    const responses = await Promise.all(burst);
    expect(responses.map((response) => response.statusCode)).toEqual(Array.from({ length: 25 }, () => 200));
    expect(new Set(responses.map((response) => response.body)).size).toBe(1);
    expect(fake.requests).toHaveLength(callsPerLookup);
  });

  it('keeps no failure: the next request asks upstream again', async () => {
    const { app, fake } = await buildWithUpstream(provider);
    fake.fail('server-error');
    expect((await app.inject('/api/weather?city=London')).statusCode).toBe(502);
    fake.heal();
    expect((await app.inject('/api/weather?city=London')).statusCode).toBe(200);
    expect(fake.count(upstreamPaths[provider][0])).toBe(2);
  });
});
