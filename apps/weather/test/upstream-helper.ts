import type { AppOptions } from '../src/app.ts';
import type { ServiceOptions } from '../src/options.ts';
import type { ProviderName } from '../src/schemas/weather.ts';
import { onTestFinished, vi } from 'vitest';
import { startFakeUpstream, type FakeUpstream, type FakeUpstreamOptions } from './fake-upstream/server.ts';
import { buildTestApp } from './helper.ts';

/** A fake OpenWeather and Open-Meteo for one test, closed when the test ends. */
export async function startTestUpstream(options: FakeUpstreamOptions = {}) {
  const fake = await startFakeUpstream(options);
  onTestFinished(() => fake.close());
  return fake;
}

export const testApiKey = 'test-openweather-key-0123456789abcdef';

/** The settings that make the service ask the fake, through the given provider. */
export function upstreamSettings(fake: FakeUpstream, provider: ProviderName): Partial<ServiceOptions> {
  return {
    openWeatherApiKey: provider === 'openweather' ? testApiKey : undefined,
    openWeatherUrl: fake.url,
    openMeteoGeocodingUrl: fake.url,
    openMeteoForecastUrl: fake.url,
  };
}

/**
 * Upstream deadlines (AbortSignal.timeout) that pass when pass() says, never on the clock, for one test: a busy
 * machine can then neither turn a healthy lookup into a 504 nor make a timeout test wait. `lengths` are the
 * timeouts asked for, one per deadline.
 */
function controlDeadlines() {
  const pending: AbortController[] = [];
  const timeout = vi.spyOn(AbortSignal, 'timeout').mockImplementation(() => {
    const deadline = new AbortController();
    pending.push(deadline);
    return deadline.signal;
  });
  onTestFinished(() => {
    timeout.mockRestore();
  });
  return {
    lengths: () => timeout.mock.calls.map(([milliseconds]) => milliseconds),
    pass: () => {
      for (const deadline of pending.splice(0)) deadline.abort(new DOMException('The deadline passed', 'TimeoutError'));
    },
  };
}

interface UpstreamBehaviour {
  /** A request the fake holds ('slow') is past its deadline the moment it is held (the default); false: held until heal(). */
  slowTimesOut?: boolean;
}

/** The app, asking a fresh fake upstream through `provider`; `service` overrides any setting. */
export async function buildWithUpstream(provider: ProviderName, { service, ...options }: AppOptions = {}, { slowTimesOut = true }: UpstreamBehaviour = {}) {
  const deadlines = controlDeadlines();
  const fake = await startTestUpstream({ openWeatherApiKey: testApiKey, ...(slowTimesOut && { onHold: deadlines.pass }) });
  // Load shedding measures the event loop's lag, which on a busy machine says nothing about these tests.
  const app = await buildTestApp({ maxEventLoopDelayMs: 0, ...options, service: { ...upstreamSettings(fake, provider), ...service } });
  return { app, fake, deadlines };
}

export const providers: ProviderName[] = ['open-meteo', 'openweather'];
