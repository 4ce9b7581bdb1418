import { LRUCache } from 'lru-cache';
import type { Weather } from '../schemas/weather.ts';
import type { WeatherProvider, WeatherQuery } from '../providers/provider.ts';

export interface WeatherLookupOptions {
  ttlMs: number;
  maxEntries?: number;
}

/**
 * A provider behind a short-lived cache. Concurrent lookups of the same place share one upstream call
 * (lru-cache's fetch de-duplicates in-flight keys), so a burst for one city costs one request.
 * Failures are not kept: the next lookup asks again.
 */
export class WeatherLookup {
  readonly provider: WeatherProvider['name'];
  readonly #cache: LRUCache<string, Weather, WeatherQuery>;

  constructor(provider: WeatherProvider, { ttlMs, maxEntries = 1_000 }: WeatherLookupOptions) {
    this.provider = provider.name;
    this.#cache = new LRUCache<string, Weather, WeatherQuery>({
      max: maxEntries,
      ttl: ttlMs,
      // The provider's own deadline bounds every lookup; an eviction must not cut short the callers waiting on it.
      ignoreFetchAbort: true,
      fetchMethod: (_key, _stale, { context }) => provider.current(context),
    });
  }

  /** Coordinates are looked up rounded (see roundedQuery), so nearby ones share an answer and an upstream call. */
  current(query: WeatherQuery): Promise<Weather> {
    const asked = roundedQuery(query);
    return this.#cache.forceFetch(cacheKey(asked), { context: asked });
  }
}

/**
 * Two decimals of a degree: about 1.1 km north-south, finer than the forecast grids behind either provider
 * (a kilometre and more), so no answer changes that matters. Without it every float a client makes up
 * (51.50741, 51.50742, …) is a new cache entry and a new call on the provider's quota.
 */
const coordinateDecimals = 2;

export function roundedQuery({ location, units }: WeatherQuery): WeatherQuery {
  if ('city' in location) return { location, units };
  const round = (degrees: number) => Number(degrees.toFixed(coordinateDecimals));
  return { location: { lat: round(location.lat), lon: round(location.lon) }, units };
}

/** The same place asked the same way; the case of a city name does not matter (location.ts trims it). */
export function cacheKey({ location, units }: WeatherQuery): string {
  const where = 'city' in location ? `city:${location.city.toLowerCase()}` : `at:${location.lat},${location.lon}`;
  return `${where}|${units}`;
}
