import type { AppOptions } from '../src/app.ts';
import type { ServiceOptions } from '../src/options.ts';
import type { ProviderName } from '../src/schemas/weather.ts';
import { onTestFinished } from 'vitest';
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

/** The app, asking a fresh fake upstream through `provider`; `service` overrides any setting. */
export async function buildWithUpstream(provider: ProviderName, { service, ...options }: AppOptions = {}) {
  const fake = await startTestUpstream({ openWeatherApiKey: testApiKey });
  const app = await buildTestApp({ ...options, service: { ...upstreamSettings(fake, provider), ...service } });
  return { app, fake };
}

export const providers: ProviderName[] = ['open-meteo', 'openweather'];
