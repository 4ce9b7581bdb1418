import { Compile } from 'typebox/compile';
import { Type } from 'typebox';
import type { Units, Weather } from '../schemas/weather.ts';
import { compiledOnFirstUse } from '../upstream/shape.ts';
import { Upstream } from '../upstream/upstream.ts';
import { placeNotFound, upstreamBadBody, upstreamStatus } from '../weather/errors.ts';
import type { WeatherProvider, WeatherQuery } from './provider.ts';
import { wmoCodes } from './wmo-codes.ts';

export interface OpenMeteoOptions {
  /** e.g. https://geocoding-api.open-meteo.com; the path /v1/search is added. */
  geocodingUrl: string;
  /** e.g. https://api.open-meteo.com; the path /v1/forecast is added. */
  forecastUrl: string;
  timeoutMs: number;
  maxConcurrent: number;
}

/** Geocoding API (GET /v1/search): with no match the body has no `results` at all. */
const SearchResults = compiledOnFirstUse(() =>
  Compile(
    Type.Object({
      results: Type.Optional(
        Type.Array(
          Type.Object({ name: Type.String(), latitude: Type.Number(), longitude: Type.Number(), country_code: Type.Optional(Type.String()) }),
        ),
      ),
    }),
  ),
);

/** The variables we ask the forecast API (GET /v1/forecast) for, and their answer with timeformat=unixtime. */
const currentVariables = [
  'temperature_2m',
  'apparent_temperature',
  'relative_humidity_2m',
  'wind_speed_10m',
  'wind_direction_10m',
  'weather_code',
  'is_day',
] as const;
const Forecast = compiledOnFirstUse(() =>
  Compile(
    Type.Object({
      latitude: Type.Number(),
      longitude: Type.Number(),
      current: Type.Object({
        time: Type.Integer(),
        temperature_2m: Type.Number(),
        apparent_temperature: Type.Number(),
        relative_humidity_2m: Type.Number(),
        wind_speed_10m: Type.Number(),
        wind_direction_10m: Type.Number(),
        weather_code: Type.Integer(),
        is_day: Type.Enum([0, 1]),
      }),
    }),
  ),
);

/** Its error body: {"error": true, "reason": "…"}. */
const ErrorBody = compiledOnFirstUse(() => Compile(Type.Object({ reason: Type.String() })));

const unitParameters: Record<Units, { temperature_unit: string; wind_speed_unit: string }> = {
  metric: { temperature_unit: 'celsius', wind_speed_unit: 'ms' },
  imperial: { temperature_unit: 'fahrenheit', wind_speed_unit: 'mph' },
};

interface Place {
  name: string | null;
  country: string | null;
  lat: number;
  lon: number;
}

/** Open-Meteo: free, no key, no signup. A city takes two requests: geocoding, then the forecast. */
export class OpenMeteo implements WeatherProvider {
  readonly name = 'open-meteo';
  readonly #options: OpenMeteoOptions;
  readonly #upstream: Upstream;

  constructor(options: OpenMeteoOptions) {
    this.#options = options;
    this.#upstream = new Upstream('Open-Meteo', options);
  }

  async current({ location, units }: WeatherQuery): Promise<Weather> {
    const signal = this.#upstream.deadline();
    // Open-Meteo has no reverse geocoding: coordinates come back without a place name.
    const place = 'city' in location ? await this.#find(location.city, signal) : { name: null, country: null, ...location };

    const url = new URL(`${this.#options.forecastUrl}/v1/forecast`);
    url.search = new URLSearchParams({
      latitude: String(place.lat),
      longitude: String(place.lon),
      current: currentVariables.join(','),
      ...unitParameters[units],
      timeformat: 'unixtime',
    }).toString();
    const { current } = this.#upstream.expectShape(Forecast, await this.#ok(url, signal));
    const sky = wmoCodes[current.weather_code];
    if (!sky) throw upstreamBadBody(this.#upstream.label, `weather_code ${current.weather_code}, which is no WMO code`);
    return {
      provider: this.name,
      place: place.name,
      country: place.country,
      coordinates: { lat: place.lat, lon: place.lon },
      temperature: current.temperature_2m,
      feelsLike: current.apparent_temperature,
      humidity: current.relative_humidity_2m,
      wind: { speed: current.wind_speed_10m, direction: current.wind_direction_10m },
      description: sky.description,
      icon: `${sky.icon}${current.is_day === 1 ? 'd' : 'n'}`,
      observedAt: new Date(current.time * 1000).toISOString(),
      units,
    };
  }

  async #find(city: string, signal: AbortSignal): Promise<Place> {
    const url = new URL(`${this.#options.geocodingUrl}/v1/search`);
    url.search = new URLSearchParams({ name: city, count: '1', language: 'en', format: 'json' }).toString();
    const { results } = this.#upstream.expectShape(SearchResults, await this.#ok(url, signal));
    const [best] = results ?? [];
    if (!best) throw placeNotFound(this.#upstream.label, city);
    return { name: best.name, country: best.country_code ?? null, lat: best.latitude, lon: best.longitude };
  }

  /** The body of a 200; any other status is a 502 quoting Open-Meteo's reason. */
  async #ok(url: URL, signal: AbortSignal): Promise<unknown> {
    const { status, body } = await this.#upstream.getJson(url, signal);
    if (status !== 200) throw upstreamStatus(this.#upstream.label, status, ErrorBody.Check(body) ? body.reason : '');
    return body;
  }
}
