import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import overload, { retryAfterSeconds } from '../../src/plugins/overload.ts';
import { HttpMetrics } from '../../src/metrics/http-metrics.ts';
import healthRoutes from '../../src/routes/health.ts';
import metricsRoute from '../../src/routes/metrics.ts';
import { ErrorResponse } from '../../src/schemas/errors.ts';

const sampleIntervalMs = 100;
/** How often @fastify/under-pressure's histogram measures the event loop's delay. */
const histogramResolutionMs = 10;
/** Far above the lag of a busy machine at rest, and a third of the lag the tests cause. */
const limitMs = 100;
/** Taken before the fake timers replace it: the event loop and its delay histogram keep real time. */
const realSleep = sleep;

// The sampler takes a sample when the fake clock says so, and not in between: what it saw holds until the test
// lets it look again, however slow the machine. Date too, for the plugin's start-up window.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * The overload plugin alone with the kit's probes and one ordinary route, past its start-up window; with the kit's
 * error schema, which /ready's 503 answers with.
 */
async function appWithOverload(maxEventLoopDelayMs: number) {
  const app = Fastify({ logger: false });
  app.addSchema(ErrorResponse);
  await app.register(overload, { maxEventLoopDelayMs, sampleIntervalMs });
  await app.register(healthRoutes);
  await app.register(metricsRoute, { metrics: new HttpMetrics() });
  app.get('/work', async () => ({ done: true }));
  await app.ready();
  onTestFinished(() => app.close());
  // Past the window in which it does not shed yet (see the first test), without taking a sample of nothing.
  vi.setSystemTime(Date.now() + 2 * sampleIntervalMs);
  return app;
}

function busyFor(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // holding the event loop, as a request doing too much work at once would
  }
}

/** Has the plugin's sampler take one sample covering `period` alone. */
async function sampleOver(period: () => Promise<unknown>) {
  vi.advanceTimersByTime(sampleIntervalMs); // ends the sample before, which saw what went on until now
  await period();
  vi.advanceTimersByTime(sampleIntervalMs);
}

/** The event loop held for three times the limit; it then comes round, and the histogram records the lag. */
async function lag() {
  // The histogram's first tick after the sampler resets it only marks the time: a lag counts from there.
  await realSleep(histogramResolutionMs);
  busyFor(3 * limitMs);
  await realSleep(0);
}

const rest = () => realSleep(sampleIntervalMs);

/** Lags the event loop (or lets it rest) until the plugin's sampler agrees. */
async function waitForPressure(app: FastifyInstance, wanted: boolean) {
  while (app.isUnderPressure() !== wanted) await sampleOver(wanted ? lag : rest);
}

describe('overload protection', () => {
  it('does not hold start-up against a fresh instance: its first requests are served', async () => {
    const app = Fastify({ logger: false });
    await app.register(overload, { maxEventLoopDelayMs: limitMs, sampleIntervalMs });
    app.get('/work', async () => ({ done: true }));
    await app.after();
    // Start-up work (schema compilation on a busy host) lags the loop.
    await waitForPressure(app, true);
    await app.ready();
    onTestFinished(() => app.close());

    expect(app.isUnderPressure()).toBe(true);
    expect((await app.inject('/work')).statusCode).toBe(200);
  });

  it('answers 503 with Retry-After and a JSON error while the event loop lags', async () => {
    const app = await appWithOverload(limitMs);
    await waitForPressure(app, true);

    const response = await app.inject('/work');
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe(String(retryAfterSeconds));
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.json()).toEqual({
      statusCode: 503,
      code: 'FST_UNDER_PRESSURE',
      error: 'Service Unavailable',
      message: `The service is overloaded; retry in ${retryAfterSeconds} s`,
    });
  });

  it('keeps /health and /metrics answering 200 while /ready and the API shed load', async () => {
    const app = await appWithOverload(limitMs);
    await waitForPressure(app, true);

    expect((await app.inject('/health')).statusCode).toBe(200);
    expect((await app.inject('/metrics')).statusCode).toBe(200);
    expect((await app.inject('/ready')).statusCode).toBe(503);
    expect((await app.inject('/api/ping')).statusCode).toBe(503);
  });

  it('serves again once the lag is gone', async () => {
    const app = await appWithOverload(limitMs);
    await waitForPressure(app, true);
    expect((await app.inject('/work')).statusCode).toBe(503);
    await waitForPressure(app, false);

    const response = await app.inject('/work');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ done: true });
  });

  it('never sheds when the limit is 0', async () => {
    const app = await appWithOverload(0);
    await sampleOver(lag);

    const { eventLoopDelay } = app.memoryUsage();
    expect(eventLoopDelay).toBeGreaterThan(limitMs);
    expect(eventLoopDelay).toBeLessThan(Number.POSITIVE_INFINITY); // what it reports when it measured nothing
    expect(app.isUnderPressure()).toBe(false);
    expect((await app.inject('/work')).statusCode).toBe(200);
  });
});
