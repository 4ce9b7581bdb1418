import { describe, expect, it } from 'vitest';
import { defaultServiceOptions, readServiceOptions } from '../src/options.ts';

describe('readServiceOptions', () => {
  it('needs nothing: Open-Meteo at its public URLs, a 3 s timeout, a one-minute cache', () => {
    expect(readServiceOptions({})).toEqual({ ...defaultServiceOptions, openWeatherApiKey: undefined });
    expect(defaultServiceOptions).toMatchObject({
      openMeteoGeocodingUrl: 'https://geocoding-api.open-meteo.com',
      openMeteoForecastUrl: 'https://api.open-meteo.com',
      openWeatherUrl: 'https://api.openweathermap.org',
      upstreamTimeoutMs: 3_000,
      upstreamMaxConcurrent: 10,
      cacheTtlMs: 60_000,
    });
  });

  it('reads every variable', () => {
    const env = {
      OPENWEATHER_API_KEY: ' abc123 ',
      OPENWEATHER_BASE_URL: 'http://127.0.0.1:4010/',
      OPEN_METEO_GEOCODING_URL: 'http://127.0.0.1:4011',
      OPEN_METEO_FORECAST_URL: 'http://127.0.0.1:4012',
      UPSTREAM_TIMEOUT_MS: '500',
      UPSTREAM_MAX_CONCURRENT: '4',
      WEATHER_CACHE_TTL_MS: '1000',
    };
    expect(readServiceOptions(env)).toEqual({
      openWeatherApiKey: 'abc123',
      openWeatherUrl: 'http://127.0.0.1:4010',
      openMeteoGeocodingUrl: 'http://127.0.0.1:4011',
      openMeteoForecastUrl: 'http://127.0.0.1:4012',
      upstreamTimeoutMs: 500,
      upstreamMaxConcurrent: 4,
      cacheTtlMs: 1000,
    });
  });

  it('treats an empty OPENWEATHER_API_KEY as unset (keyless)', () => {
    expect(readServiceOptions({ OPENWEATHER_API_KEY: '  ' }).openWeatherApiKey).toBeUndefined();
  });

  it.each([
    [{ UPSTREAM_TIMEOUT_MS: '0' }, /UPSTREAM_TIMEOUT_MS must be a whole number from 1 to 60000/],
    [{ WEATHER_CACHE_TTL_MS: 'soon' }, /WEATHER_CACHE_TTL_MS must be a whole number from 1 to 3600000/],
    [{ OPEN_METEO_FORECAST_URL: 'api.open-meteo.com' }, /OPEN_METEO_FORECAST_URL must be an http:\/\/ or https:\/\/ URL/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => readServiceOptions(env)).toThrow(message);
  });
});
