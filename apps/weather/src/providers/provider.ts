import type { ProviderName, Units, Weather } from '../schemas/weather.ts';

/** Where to look: a place name, or coordinates. */
export type Location = { city: string } | { lat: number; lon: number };

export interface WeatherQuery {
  location: Location;
  units: Units;
}

/**
 * One source of current weather. `current` answers in the service's own shape, or throws a WeatherError
 * (errors.ts): not found, timeout, or an upstream that failed or answered something unexpected.
 */
export interface WeatherProvider {
  readonly name: ProviderName;
  current(query: WeatherQuery): Promise<Weather>;
}

