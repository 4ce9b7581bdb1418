import type { ServiceOptions } from '../options.ts';
import { OpenMeteo } from './open-meteo.ts';
import { OpenWeather } from './openweather.ts';
import type { WeatherProvider } from './provider.ts';

/** OpenWeather when a key is set; otherwise Open-Meteo, which needs none. */
export function createProvider(options: ServiceOptions): WeatherProvider {
  const limits = { timeoutMs: options.upstreamTimeoutMs, maxConcurrent: options.upstreamMaxConcurrent };
  if (options.openWeatherApiKey !== undefined) {
    return new OpenWeather({ apiKey: options.openWeatherApiKey, baseUrl: options.openWeatherUrl, ...limits });
  }
  return new OpenMeteo({ geocodingUrl: options.openMeteoGeocodingUrl, forecastUrl: options.openMeteoForecastUrl, ...limits });
}
