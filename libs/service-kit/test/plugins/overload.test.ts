import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import overload, { retryAfterSeconds } from '../../src/plugins/overload.ts';
import healthRoutes from '../../src/routes/health.ts';

const sampleIntervalMs = 100;

/** The overload plugin alone with the kit's probes and one ordinary route, sampling ten times a second. */
async function appWithOverload(maxEventLoopDelayMs: number) {
  const app = Fastify({ logger: false });
  await app.register(overload, { maxEventLoopDelayMs, sampleIntervalMs });
  await app.register(healthRoutes);
  app.get('/work', async () => ({ done: true }));
  await app.ready();
  onTestFinished(() => app.close());
  return app;
}

function busyFor(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // holding the event loop, as a request doing too much work at once would
  }
}

/** Lags the event loop (or lets it rest) until the plugin's sampler agrees; bounded to a few seconds. */
async function waitForPressure(app: FastifyInstance, wanted: boolean) {
  for (let turn = 0; turn < 50 && app.isUnderPressure() !== wanted; turn++) {
    if (wanted) busyFor(3 * sampleIntervalMs);
    // Half a sample: the sampler has just run after the lag, and the next one is still ahead.
    await sleep(sampleIntervalMs / 2);
  }
  expect(app.isUnderPressure()).toBe(wanted);
}

describe('overload protection', () => {
  it('does not hold start-up against a fresh instance: its first requests are served', async () => {
    const app = Fastify({ logger: false });
    await app.register(overload, { maxEventLoopDelayMs: 10, sampleIntervalMs });
    app.get('/work', async () => ({ done: true }));
    await app.after();
    // Start-up work (schema compilation on a busy host) lags the loop across several samples.
    for (let sample = 0; sample < 3; sample++) {
      busyFor(2 * sampleIntervalMs);
      await sleep(sampleIntervalMs / 2);
    }
    await app.ready();
    onTestFinished(() => app.close());

    expect(app.isUnderPressure()).toBe(true);
    expect((await app.inject('/work')).statusCode).toBe(200);
  });

  it('answers 503 with Retry-After and a JSON error while the event loop lags', async () => {
    const app = await appWithOverload(10);
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

  it('keeps /health answering 200 while /ready and the API shed load', async () => {
    const app = await appWithOverload(10);
    await waitForPressure(app, true);

    expect((await app.inject('/health')).statusCode).toBe(200);
    expect((await app.inject('/ready')).statusCode).toBe(503);
    expect((await app.inject('/api/ping')).statusCode).toBe(503);
  });

  it('serves again once the lag is gone', async () => {
    const app = await appWithOverload(10);
    await waitForPressure(app, true);
    await waitForPressure(app, false);

    const response = await app.inject('/work');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ done: true });
  });

  it('never sheds when the limit is 0', async () => {
    const app = await appWithOverload(0);
    busyFor(3 * sampleIntervalMs);
    await sleep(sampleIntervalMs / 2);

    expect(app.isUnderPressure()).toBe(false);
    expect((await app.inject('/work')).statusCode).toBe(200);
  });
});
