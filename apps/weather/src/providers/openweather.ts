import { Compile } from 'typebox/compile';
import { Type } from 'typebox';
import { iconPattern, type Weather } from '../schemas/weather.ts';
import { compiledOnFirstUse } from '../upstream/shape.ts';
import { Upstream } from '../upstream/upstream.ts';
import { placeNotFound, upstreamBadBody, upstreamStatus } from '../weather/errors.ts';
import type { WeatherProvider, WeatherQuery } from './provider.ts';

export interface OpenWeatherOptions {
  apiKey: string;
  /** e.g. https://api.openweathermap.org; the path /data/2.5/weather is added. */
  baseUrl: string;
  timeoutMs: number;
  maxConcurrent: number;
}

/** The fields we read of "Current weather data" (GET /data/2.5/weather), as OpenWeather documents them. */
const CurrentWeather = compiledOnFirstUse(() =>
  Compile(
    Type.Object({
      coord: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
      weather: Type.Array(Type.Object({ description: Type.String(), icon: Type.String({ pattern: iconPattern }) })),
      main: Type.Object({ temp: Type.Number(), feels_like: Type.Number(), humidity: Type.Number() }),
      wind: Type.Object({ speed: Type.Number(), deg: Type.Optional(Type.Number()) }),
      dt: Type.Integer(),
      sys: Type.Object({ country: Type.Optional(Type.String()) }),
      name: Type.String(),
    }),
  ),
);

/** Its error body: {"cod": "404", "message": "city not found"}. */
const ErrorBody = compiledOnFirstUse(() => Compile(Type.Object({ message: Type.String() })));

/** OpenWeather's current weather API, with the key from OPENWEATHER_API_KEY. */
export class OpenWeather implements WeatherProvider {
  readonly name = 'openweather';
  readonly #options: OpenWeatherOptions;
  readonly #upstream: Upstream;

  constructor(options: OpenWeatherOptions) {
    this.#options = options;
    this.#upstream = new Upstream('OpenWeather', options);
  }

  async current({ location, units }: WeatherQuery): Promise<Weather> {
    const url = new URL(`${this.#options.baseUrl}/data/2.5/weather`);
    const where: Record<string, string> = 'city' in location ? { q: location.city } : { lat: String(location.lat), lon: String(location.lon) };
    url.search = new URLSearchParams({ ...where, units, appid: this.#options.apiKey }).toString();

    const { status, body } = await this.#upstream.getJson(url, this.#upstream.deadline());
    if (status === 404 && 'city' in location) throw placeNotFound(this.#upstream.label, location.city);
    if (status !== 200) throw upstreamStatus(this.#upstream.label, status, ErrorBody.Check(body) ? body.message : '');

    const current = this.#upstream.expectShape(CurrentWeather, body);
    const [conditions] = current.weather;
    if (!conditions) throw upstreamBadBody(this.#upstream.label, 'no weather conditions');
    return {
      provider: this.name,
      place: current.name === '' ? null : current.name,
      country: current.sys.country ?? null,
      coordinates: { lat: current.coord.lat, lon: current.coord.lon },
      temperature: current.main.temp,
      feelsLike: current.main.feels_like,
      humidity: current.main.humidity,
      wind: { speed: current.wind.speed, direction: current.wind.deg ?? null },
      description: conditions.description,
      icon: conditions.icon,
      observedAt: new Date(current.dt * 1000).toISOString(),
      units,
    };
  }
}
