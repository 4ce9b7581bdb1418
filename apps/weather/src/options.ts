import { readInteger, readUrl, type Env, type ServiceDefinition } from '@fastify-gitlab/service-kit';

/** This service's own settings, beside the ones every service reads (PORT, HOST, LOG_LEVEL…). */
export interface ServiceOptions {
  /** Set: OpenWeather serves the weather. Unset: Open-Meteo does, with no key and no signup. */
  openWeatherApiKey?: string;
  openWeatherUrl: string;
  openMeteoGeocodingUrl: string;
  openMeteoForecastUrl: string;
  /** How long one lookup may take upstream, all its requests together, before the answer is a 504. */
  upstreamTimeoutMs: number;
  /** How many requests to the provider may be in flight at once; the others wait their turn within the deadline. */
  upstreamMaxConcurrent: number;
  /** How long an answer is reused for the same place and units. */
  cacheTtlMs: number;
}

export const defaultServiceOptions: ServiceOptions = {
  openWeatherUrl: 'https://api.openweathermap.org',
  openMeteoGeocodingUrl: 'https://geocoding-api.open-meteo.com',
  openMeteoForecastUrl: 'https://api.open-meteo.com',
  upstreamTimeoutMs: 3_000,
  // A provider answers in a few hundred ms, so 10 at once is 20 to 50 calls a second: plenty for the traffic a
  // small service sees (the cache answers repeats), and a ceiling on what a flood of new places can spend.
  upstreamMaxConcurrent: 10,
  // Both providers refresh current conditions every 10 to 15 minutes; a minute keeps answers fresh.
  cacheTtlMs: 60_000,
};

export function readServiceOptions(env: Env): ServiceOptions {
  const defaults = defaultServiceOptions;
  const apiKey = env.OPENWEATHER_API_KEY?.trim();
  return {
    openWeatherApiKey: apiKey === '' ? undefined : apiKey,
    openWeatherUrl: readUrl(env, 'OPENWEATHER_BASE_URL', defaults.openWeatherUrl),
    openMeteoGeocodingUrl: readUrl(env, 'OPEN_METEO_GEOCODING_URL', defaults.openMeteoGeocodingUrl),
    openMeteoForecastUrl: readUrl(env, 'OPEN_METEO_FORECAST_URL', defaults.openMeteoForecastUrl),
    upstreamTimeoutMs: readInteger(env, 'UPSTREAM_TIMEOUT_MS', defaults.upstreamTimeoutMs, 1, 60_000),
    upstreamMaxConcurrent: readInteger(env, 'UPSTREAM_MAX_CONCURRENT', defaults.upstreamMaxConcurrent, 1, 1_000),
    cacheTtlMs: readInteger(env, 'WEATHER_CACHE_TTL_MS', defaults.cacheTtlMs, 1, 3_600_000),
  };
}

/** What app.ts puts into the service's definition from here: how its settings are read, and which are secret. */
export const optionsDefinition = {
  defaultOptions: defaultServiceOptions,
  readOptions: readServiceOptions,
  // The key travels in OpenWeather's query string, so it could surface in any error text or URL logged.
  secrets: ({ openWeatherApiKey }) => [openWeatherApiKey],
} satisfies Partial<ServiceDefinition<ServiceOptions>>;
