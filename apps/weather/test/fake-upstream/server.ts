import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import invalidKey from './fixtures/openweather/invalid-key.json' with { type: 'json' };
import londonImperial from './fixtures/openweather/london.imperial.json' with { type: 'json' };
import londonMetric from './fixtures/openweather/london.metric.json' with { type: 'json' };
import cityNotFound from './fixtures/openweather/not-found.json' with { type: 'json' };
import forecastImperial from './fixtures/open-meteo/forecast.imperial.json' with { type: 'json' };
import forecastMetric from './fixtures/open-meteo/forecast.metric.json' with { type: 'json' };
import searchLondon from './fixtures/open-meteo/search.london.json' with { type: 'json' };
import searchNone from './fixtures/open-meteo/search.none.json' with { type: 'json' };

/**
 * How the fake misbehaves, per request:
 *   slow          holds the request without answering until heal() (or close)
 *   server-error  503 with an HTML body, as a proxy in front of the API would
 *   garbage       200 with a JSON content type and a body cut off mid-way
 *   wrong-shape   200 with the usual document, one field of the wrong type
 *   reset         resets the connection without a response
 */
export const faults = ['slow', 'server-error', 'garbage', 'wrong-shape', 'reset'] as const;
export type Fault = (typeof faults)[number];

export interface FakeUpstreamOptions {
  port?: number;
  host?: string;
  /** The only key OpenWeather accepts (401 otherwise); any non-empty key when unset. */
  openWeatherApiKey?: string;
  /** Called as a request is held ('slow'): a test can let the caller's deadline pass then, not on the clock. */
  onHold?: () => void;
}

export interface FakeUpstream {
  /** Base URL for OPENWEATHER_BASE_URL, OPEN_METEO_GEOCODING_URL and OPEN_METEO_FORECAST_URL alike. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: readonly URL[];
  /** How many requests reached this path, e.g. /v1/search. */
  count(pathname: string): number;
  /** From now on, fail every request (or only those to `pathname`) this way. */
  fail(fault: Fault, pathname?: string): void;
  /** Back to answering normally; held (slow) requests are answered now. */
  heal(): void;
  close(): Promise<void>;
}

/** The weather service's settings that point it at a fake on `url`, for both providers. */
export function upstreamEnv(url: string): Record<string, string> {
  return { OPEN_METEO_GEOCODING_URL: url, OPEN_METEO_FORECAST_URL: url, OPENWEATHER_BASE_URL: url };
}

interface Answer {
  status: number;
  body: unknown;
}

type Endpoint = (query: URLSearchParams) => Answer;

/**
 * A local stand-in for OpenWeather and Open-Meteo, speaking their documented wire format on the paths
 * they use (their responses are the JSON files beside this one). It knows one city: London.
 * Tests, benchmarks and the end-to-end suite point the service's *_URL settings at it.
 */
export async function startFakeUpstream({ port = 0, host = '127.0.0.1', openWeatherApiKey, onHold }: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const endpoints: Record<string, Endpoint> = {
    '/data/2.5/weather': (query) => openWeatherCurrent(query, openWeatherApiKey),
    '/v1/search': openMeteoSearch,
    '/v1/forecast': openMeteoForecast,
  };
  const requests: URL[] = [];
  const failing = new Map<string | undefined, Fault>();
  const held: (() => void)[] = [];

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake-upstream');
    requests.push(url);

    const endpoint = endpoints[url.pathname];
    if (!endpoint) {
      send(response, { status: 404, body: { message: `the fake upstream has no ${url.pathname}` } });
      return;
    }
    const answer = () => endpoint(url.searchParams);
    const fault = failing.get(url.pathname) ?? failing.get(undefined);
    if (fault === 'slow') {
      held.push(() => {
        send(response, answer());
      });
      onHold?.();
    } else if (fault) misbehave(fault, request, response, url.pathname, answer);
    else send(response, answer());
  });
  // Closes no idle connection on a timer of its own: a client that stalled could otherwise send a request down a
  // connection as it closes, and a healthy request would fail as unreachable.
  server.keepAliveTimeout = 0;
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;

  return {
    url: `http://${host}:${address.port}`,
    requests,
    count: (pathname) => requests.filter((url) => url.pathname === pathname).length,
    fail: (fault, pathname) => {
      failing.set(pathname, fault);
    },
    heal: () => {
      failing.clear();
      for (const answer of held.splice(0)) answer();
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function openWeatherCurrent(query: URLSearchParams, acceptedKey: string | undefined): Answer {
  const key = query.get('appid') ?? '';
  if (key === '' || (acceptedKey !== undefined && key !== acceptedKey)) return { status: 401, body: invalidKey };
  const units = query.get('units');
  if (units !== 'metric' && units !== 'imperial') return { status: 400, body: { cod: '400', message: `the fake has no fixture for units=${units ?? ''}` } };
  const city = query.get('q');
  const coordinates = query.has('lat') && query.has('lon');
  if (city === null && !coordinates) return { status: 400, body: { cod: '400', message: 'Nothing to geocode' } };
  if (city !== null && city.trim().toLowerCase() !== 'london') return { status: 404, body: cityNotFound };
  return { status: 200, body: units === 'metric' ? londonMetric : londonImperial };
}

function openMeteoSearch(query: URLSearchParams): Answer {
  const name = query.get('name')?.trim().toLowerCase();
  return { status: 200, body: name === 'london' ? searchLondon : searchNone };
}

const forecastVariables = ['temperature_2m', 'apparent_temperature', 'relative_humidity_2m', 'wind_speed_10m', 'wind_direction_10m', 'weather_code', 'is_day'];

function openMeteoForecast(query: URLSearchParams): Answer {
  const badRequest = (reason: string) => ({ status: 400, body: { error: true, reason } });
  if (!query.has('latitude') || !query.has('longitude')) return badRequest('Parameter latitude and longitude must be set');
  const asked = query.get('current')?.split(',') ?? [];
  const missing = forecastVariables.filter((variable) => !asked.includes(variable));
  if (missing.length > 0) return badRequest(`the fake answers only with all of current=${forecastVariables.join(',')}; missing ${missing.join(',')}`);
  if (query.get('timeformat') !== 'unixtime') return badRequest('the fake has fixtures for timeformat=unixtime only');
  const units = `${query.get('temperature_unit') ?? 'celsius'}/${query.get('wind_speed_unit') ?? 'kmh'}`;
  if (units === 'celsius/ms') return { status: 200, body: forecastMetric };
  if (units === 'fahrenheit/mph') return { status: 200, body: forecastImperial };
  return badRequest(`the fake has no fixture for ${units}`);
}

/** The documented body with one field's type changed, as if the provider's format had moved on. */
const wrongShapes: Record<string, (body: unknown) => unknown> = {
  '/data/2.5/weather': (body) => ({ ...(body as object), main: { temp: 'twelve' } }),
  '/v1/search': (body) => ({ ...(body as object), results: [{ name: 'London', latitude: '51.5', longitude: '-0.12' }] }),
  '/v1/forecast': (body) => ({ ...(body as object), current: null }),
};

function misbehave(fault: Exclude<Fault, 'slow'>, request: IncomingMessage, response: ServerResponse, pathname: string, answer: () => Answer) {
  switch (fault) {
    case 'server-error':
      response.writeHead(503, { 'content-type': 'text/html' }).end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
      return;
    case 'garbage':
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"coord": {"lon": -0.1257, "lat": 51.50');
      return;
    case 'wrong-shape': {
      const { status, body } = answer();
      send(response, { status, body: wrongShapes[pathname]?.(body) ?? body });
      return;
    }
    case 'reset':
      request.socket.resetAndDestroy();
      return;
  }
}

function send(response: ServerResponse, { status, body }: Answer) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
