import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helper.ts';
import { buildWithUpstream } from '../upstream-helper.ts';

const postForm = (city: string, units?: string) => ({
  method: 'POST' as const,
  url: '/weather',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(units === undefined ? { city } : { city, units }).toString(),
});

describe('GET /', () => {
  it('renders the original form: a city field posted to /weather', async () => {
    const app = await buildTestApp();
    const response = await app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.body).toMatch(/^<!DOCTYPE html>/);
    expect(response.body).toContain('<h1>Weather Information</h1>');
    expect(response.body).toContain('<form method="post" action="/weather">');
    expect(response.body).toMatch(/<input id="city" name="city" type="text"/);
    expect(response.body).toContain('<option value="imperial" selected>°F</option>');
  });
});

describe.each(['open-meteo', 'openweather'] as const)('POST /weather from %s', (provider) => {
  it('takes the longest city a browser can send (100 four-byte characters, percent-encoded)', async () => {
    const { app, fake } = await buildWithUpstream(provider);
    fake.fail('server-error');
    const response = await app.inject(postForm('𝄞'.repeat(100), 'metric'));
    // The provider was asked: the form got through the body limit and validation.
    expect(response.statusCode).toBe(502);
    expect(fake.requests.length).toBeGreaterThan(0);
  });

  it('renders the weather in °F by default, temperature rounded down as the original did', async () => {
    const { app } = await buildWithUpstream(provider);
    const response = await app.inject(postForm('London'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<h1>Weather Information for London, GB</h1>');
    expect(response.body).toContain('<dt>Temperature</dt><dd>55 °F</dd>');
    expect(response.body).toContain('<dt>Humidity</dt><dd>77%</dd>');
    expect(response.body).toMatch(/<dt>Description<\/dt><dd>(overcast|broken clouds)<\/dd>/);
    expect(response.body).toMatch(/<dt>Wind<\/dt><dd>10\.\d mph from the SW<\/dd>/);
    expect(response.body).toContain('1 Nov 2024, 12:00 UTC');
  });

  it('renders °C when the form asks for metric', async () => {
    const { app } = await buildWithUpstream(provider);
    const response = await app.inject(postForm('London', 'metric'));
    expect(response.body).toContain('<dt>Temperature</dt><dd>12 °C</dd>');
    expect(response.body).toContain('<option value="metric" selected>°C</option>');
  });

  it('answers an unknown city with a 404 page that says so and keeps what was typed', async () => {
    const { app } = await buildWithUpstream(provider);
    const response = await app.inject(postForm('Atlantis'));
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toMatch(/<p class="error" role="alert">(Open-Meteo|OpenWeather) knows no place called &quot;Atlantis&quot;\.<\/p>/);
    expect(response.body).toContain('value="Atlantis"');
  });

  it('answers a provider that does not answer in time with a 504 page', async () => {
    const { app, fake } = await buildWithUpstream(provider, { service: { upstreamTimeoutMs: 100 } });
    fake.fail('slow');
    const response = await app.inject(postForm('London'));
    expect(response.statusCode).toBe(504);
    expect(response.body).toMatch(/did not answer within 100 ms\. Please try again in a moment\./);
  });
});

describe('POST /weather, what the user typed', () => {
  it('escapes it, so a city name can never become markup', async () => {
    const { app } = await buildWithUpstream('open-meteo');
    const response = await app.inject(postForm('<script>alert("x")</script>" autofocus onfocus="alert(1)'));
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('<script>alert');
    expect(response.body).not.toContain('" autofocus onfocus="');
    expect(response.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&quot; autofocus onfocus=&quot;alert(1)');
  });

  it.each([
    ['', undefined, 'Please type a city name of 1 to 100 characters'],
    ['x'.repeat(101), undefined, 'Please type a city name of 1 to 100 characters'],
    ['   ', undefined, 'city must not be blank'],
    ['London', 'kelvin', 'Please choose °F or °C'],
  ])('refuses city=%j units=%s with a readable 400 page', async (city, units, message) => {
    const { app, fake } = await buildWithUpstream('open-meteo');
    const response = await app.inject(postForm(city, units));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain(`<p class="error" role="alert">${message}.</p>`);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a body that is not a form with a readable 415 page', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'POST', url: '/weather', headers: { 'content-type': 'application/xml' }, payload: '<city>London</city>' });
    expect(response.statusCode).toBe(415);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('role="alert"');
  });
});
