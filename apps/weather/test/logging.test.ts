import { describe, expect, it } from 'vitest';
import { buildWithUpstream, testApiKey } from './upstream-helper.ts';

/** The app with every log line, at the most verbose level, kept in memory. */
async function buildLogged() {
  const lines: string[] = [];
  const built = await buildWithUpstream('openweather', {
    logger: { level: 'trace', stream: { write: (line: string) => lines.push(line) } },
    logRequests: true,
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
