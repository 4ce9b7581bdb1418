import { describe, expect, it } from 'vitest';
import type { Weather } from '../../src/schemas/weather.ts';
import { buildTestApp } from '../helper.ts';
import { buildWithUpstream, testApiKey } from '../upstream-helper.ts';

/** London, metric, as each provider's fixture describes it, in the service's one shape. */
const london: Record<Weather['provider'], Weather> = {
  'open-meteo': {
    provider: 'open-meteo',
    place: 'London',
    country: 'GB',
    coordinates: { lat: 51.50853, lon: -0.12574 },
    temperature: 12.9,
    feelsLike: 11.4,
    humidity: 77,
    wind: { speed: 4.6, direction: 240 },
    description: 'overcast',
    icon: '04d',
    observedAt: '2024-11-01T12:00:00.000Z',
    units: 'metric',
  },
  openweather: {
    provider: 'openweather',
    place: 'London',
    country: 'GB',
    coordinates: { lat: 51.5085, lon: -0.1257 },
    temperature: 12.86,
    feelsLike: 12.19,
    humidity: 77,
    wind: { speed: 4.63, direction: 240 },
    description: 'broken clouds',
    icon: '04d',
    observedAt: '2024-11-01T12:00:00.000Z',
    units: 'metric',
  },
};

describe.each(['open-meteo', 'openweather'] as const)('GET /api/weather from %s', (provider) => {
  it('answers the weather for a city in the documented shape', async () => {
    const { app } = await buildWithUpstream(provider);
    const response = await app.inject('/api/weather?city=London');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual(london[provider]);
  });

  it('asks the provider for imperial units when told to', async () => {
    const { app } = await buildWithUpstream(provider);
    const response = await app.inject('/api/weather?city=london&units=imperial');
    expect(response.json()).toMatchObject({ units: 'imperial', temperature: expect.closeTo(55.2, 0) as number, humidity: 77 });
    expect(response.json<Weather>().wind.speed).toBeGreaterThan(10);
  });

  it('answers the weather for coordinates', async () => {
    const { app, fake } = await buildWithUpstream(provider);
    const response = await app.inject('/api/weather?lat=51.5085&lon=-0.1257');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ provider, temperature: london[provider].temperature, units: 'metric' });
    const asked = fake.requests.at(-1)?.searchParams;
    expect([asked?.get('lat') ?? asked?.get('latitude'), asked?.get('lon') ?? asked?.get('longitude')]).toEqual(['51.5085', '-0.1257']);
  });

  it('answers 404 naming the place when the provider knows no such city', async () => {
    const { app } = await buildWithUpstream(provider);
    const response = await app.inject('/api/weather?city=Atlantis');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404, code: 'WEATHER_PLACE_NOT_FOUND' });
    expect(response.json<{ message: string }>().message).toMatch(/knows no place called "Atlantis"/);
  });

  it.each([
    ['slow', 504, 'WEATHER_UPSTREAM_TIMEOUT', /did not answer within 1000 ms/],
    ['server-error', 502, 'WEATHER_UPSTREAM_STATUS', /answered HTTP 503$/],
    ['garbage', 502, 'WEATHER_UPSTREAM_BAD_BODY', /answered a body that is not JSON$/],
    ['wrong-shape', 502, 'WEATHER_UPSTREAM_BAD_BODY', /answered an unexpected shape \(\/\w+/],
    ['reset', 502, 'WEATHER_UPSTREAM_UNREACHABLE', /^Could not reach/],
  ] as const)('answers an upstream that is %s with %i and a message naming the cause, then recovers', async (fault, status, code, message) => {
    const { app, fake, deadlines } = await buildWithUpstream(provider, { service: { upstreamTimeoutMs: 1_000 } });
    fake.fail(fault);
    const response = await app.inject('/api/weather?city=London');
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ statusCode: status, code });
    expect(response.json<{ message: string }>().message).toMatch(message);
    expect(response.json<{ message: string }>().message).toMatch(/OpenWeather|Open-Meteo/);

    fake.heal();
    expect((await app.inject('/api/weather?city=London')).statusCode).toBe(200);
    // One deadline of the configured length for each lookup, however many requests it made.
    expect(deadlines.lengths()).toEqual([1_000, 1_000]);
  });
});

describe('GET /api/weather, provider specifics', () => {
  it('quotes OpenWeather when it refuses the key, and never shows the key', async () => {
    const { app } = await buildWithUpstream('openweather', { service: { openWeatherApiKey: 'not-the-right-key' } });
    const response = await app.inject('/api/weather?city=London');
    expect(response.statusCode).toBe(502);
    expect(response.json()).toMatchObject({ code: 'WEATHER_UPSTREAM_STATUS', message: expect.stringMatching(/^OpenWeather answered HTTP 401: Invalid API key/) as string });
    expect(response.body).not.toContain('not-the-right-key');
  });

  it('sends the key to OpenWeather as appid', async () => {
    const { app, fake } = await buildWithUpstream('openweather');
    await app.inject('/api/weather?city=London');
    expect(fake.requests.map((url) => url.searchParams.get('appid'))).toEqual([testApiKey]);
  });

  it('names the Open-Meteo forecast as the failing part when geocoding worked', async () => {
    const { app, fake } = await buildWithUpstream('open-meteo');
    fake.fail('wrong-shape', '/v1/forecast');
    const response = await app.inject('/api/weather?city=London');
    expect(response.statusCode).toBe(502);
    expect(response.json<{ message: string }>().message).toBe('Open-Meteo answered an unexpected shape (/current must be object)');
    expect(fake.count('/v1/search')).toBe(1);
  });

  it('answers coordinates from Open-Meteo without a place name (it has no reverse geocoding)', async () => {
    const { app, fake } = await buildWithUpstream('open-meteo');
    const response = await app.inject('/api/weather?lat=48.85&lon=2.35&units=imperial');
    expect(response.json()).toMatchObject({ place: null, country: null, coordinates: { lat: 48.85, lon: 2.35 }, units: 'imperial' });
    expect(fake.count('/v1/search')).toBe(0);
  });
});

describe('GET /api/weather, bad requests', () => {
  it.each([
    ['', 'Give a city (?city=London) or coordinates (?lat=51.51&lon=-0.13)'],
    ['?city=London&lat=1&lon=2', 'Give either city or lat and lon, not both'],
    ['?lat=51.5', 'lat and lon go together: lon is missing'],
    ['?lon=0', 'lat and lon go together: lat is missing'],
    ['?city=%20%20', 'city must not be blank'],
    ['?city=', 'querystring/city must NOT have fewer than 1 characters'],
    ['?lat=91&lon=0', 'querystring/lat must be <= 90'],
    ['?lat=north&lon=0', 'querystring/lat must be number'],
    ['?city=London&units=kelvin', 'querystring/units must be equal to one of the allowed values: metric, imperial'],
  ])('refuses %s with a 400 that says what to send', async (query, message) => {
    const { app, fake } = await buildWithUpstream('open-meteo');
    const response = await app.inject(`/api/weather${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', message });
    expect(fake.requests).toHaveLength(0);
  });

  it('documents the route and the answer shape in the OpenAPI document', async () => {
    const app = await buildTestApp();
    const document = (await app.inject('/docs/json')).json<{ paths: Record<string, unknown>; components: { schemas: Record<string, { required?: string[] }> } }>();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/weather', '/', '/weather']));
    // Named by its $id, as a generated client names its type.
    expect(document.components.schemas.Weather?.required).toEqual(expect.arrayContaining(['place', 'country', 'coordinates', 'temperature', 'feelsLike', 'humidity', 'wind', 'description', 'icon', 'observedAt', 'units']));
  });
});
