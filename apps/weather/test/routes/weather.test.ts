import { describe, expect, it } from 'vitest';
import type { Weather } from '../../src/schemas/weather.ts';
import { buildTestApp } from '../helper.ts';
import { buildWithUpstream, providers, testApiKey } from '../upstream-helper.ts';

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
    // Rounded to two decimals (about a kilometre), as every lookup of coordinates is.
    expect([asked?.get('lat') ?? asked?.get('latitude'), asked?.get('lon') ?? asked?.get('longitude')]).toEqual(['51.51', '-0.13']);
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
    ['reset', 502, 'WEATHER_UPSTREAM_UNREACHABLE', /^Could not reach (OpenWeather|Open-Meteo)$/],
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

describe.each(providers)('GET /api/weather for coordinates from %s', (provider) => {
  it('asks the provider once for coordinates within a hundredth of a degree of each other', async () => {
    const { app, fake } = await buildWithUpstream(provider, { service: { cacheTtlMs: 3_600_000 } });
    const answers = await Promise.all(['lat=51.5085&lon=-0.1257', 'lat=51.50741&lon=-0.12776', 'lat=51.51&lon=-0.13'].map((where) => app.inject(`/api/weather?${where}`)));
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
    expect(fake.requests).toHaveLength(1);
    await app.inject('/api/weather?lat=51.52&lon=-0.13');
    expect(fake.requests).toHaveLength(2);
  });
});

describe('rate limiting (RATE_LIMIT_PER_MINUTE)', () => {
  it('answers a client past its limit 429 with Retry-After: JSON from the API, a page from the form', async () => {
    const { app } = await buildWithUpstream('open-meteo', { rateLimitPerMinute: 1 });
    expect((await app.inject('/api/weather?city=London')).statusCode).toBe(200);
    const refused = await app.inject('/api/weather?city=London');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', message: expect.stringMatching(/^Too many requests from this client/) as string });
    expect((await app.inject({ url: '/api/weather?city=London', remoteAddress: '192.0.2.7' })).statusCode).toBe(200);

    const form = { method: 'POST' as const, url: '/weather', payload: { city: 'London' } };
    expect((await app.inject(form)).statusCode).toBe(200);
    const page = await app.inject(form);
    expect(page.statusCode).toBe(429);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Too many requests from this client');
    // The form page and the probes are never limited.
    for (const url of ['/', '/', '/health', '/api/ping']) expect((await app.inject(url)).statusCode).toBe(200);
  });

  it('is documented on the route: a 429 with the JSON error body', async () => {
    const app = await buildTestApp();
    const document = (await app.inject('/docs/json')).json<{ paths: Record<string, { get: { responses: Record<string, unknown> } }> }>();
    expect(document.paths['/api/weather']?.get.responses['429']).toMatchObject({
      description: expect.stringContaining('Retry-After') as string,
      content: { 'application/json': { schema: { $ref: expect.stringMatching(/^#\/components\/schemas\//) as string } } },
    });
  });
});
