import { describe, expect, it } from 'vitest';
import type { ServiceOptions } from '../src/options.ts';
import type { ProviderName } from '../src/schemas/weather.ts';
import { buildWithUpstream, testApiKey } from './upstream-helper.ts';

/** The app with every log line, at the most verbose level, kept in memory. */
async function buildLogged(provider: ProviderName = 'openweather', service: Partial<ServiceOptions> = {}) {
  const lines: string[] = [];
  const built = await buildWithUpstream(provider, {
    logger: { level: 'trace', stream: { write: (line: string) => lines.push(line) } },
    logRequests: true,
    service,
  });
  return { ...built, output: () => lines.join('') };
}

describe('the OpenWeather key in logs', () => {
  it('is censored wherever it would appear, e.g. in a logged upstream URL', async () => {
    const { app, output } = await buildLogged();
    app.log.error({ url: `https://api.openweathermap.org/data/2.5/weather?q=London&appid=${testApiKey}` }, `GET ...appid=${testApiKey} failed`);
    expect(output()).toContain('appid=[redacted]');
    expect(output()).not.toContain(testApiKey);
  });

  it.each(['reset', 'server-error', 'garbage', 'wrong-shape', 'slow'] as const)(
    'never appears while requests succeed and fail (upstream %s)',
    async (fault) => {
      const { app, fake, output } = await buildLogged();
      expect((await app.inject('/api/weather?city=London')).statusCode).toBe(200);
      fake.fail(fault);
      expect((await app.inject('/api/weather?city=London&units=imperial')).statusCode).toBeGreaterThanOrEqual(502);
      expect((await app.inject({ method: 'POST', url: '/weather', payload: { city: 'London' } })).statusCode).toBeGreaterThanOrEqual(502);
      expect(output()).toContain('"statusCode":50');
      expect(output()).not.toContain(testApiKey);
    },
  );
});

describe('an upstream that cannot be reached', () => {
  it.each(['open-meteo', 'openweather'] as const)('is logged with its socket error, and %s answers without it', async (provider) => {
    // Nothing listens on the top port (outside Linux's ephemeral range): refused at once, with the address in the error.
    const unreachable = 'http://127.0.0.1:65535';
    const settings = { openWeatherUrl: unreachable, openMeteoGeocodingUrl: unreachable, openMeteoForecastUrl: unreachable };
    const { app, output } = await buildLogged(provider, settings);
    const responses = [await app.inject('/api/weather?city=London'), await app.inject({ method: 'POST', url: '/weather', payload: { city: 'London' } })];
    for (const response of responses) {
      expect(response.statusCode).toBe(502);
      expect(response.body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    }
    expect(responses[0]?.json()).toMatchObject({ code: 'WEATHER_UPSTREAM_UNREACHABLE', message: expect.stringMatching(/^Could not reach (OpenWeather|Open-Meteo)$/) as string });
    expect(output()).toMatch(/Could not reach (OpenWeather|Open-Meteo): fetch failed: connect ECONNREFUSED 127\.0\.0\.1:65535/);
  });
});
