import { describe, expect, it } from 'vitest';
import { iconEmoji, wind } from '../../src/pages/format.ts';
import { html } from '../../src/pages/html.ts';
import { weatherPage } from '../../src/pages/views.ts';
import type { Weather } from '../../src/schemas/weather.ts';

describe('the html tag', () => {
  it('escapes interpolated strings and numbers, and nests its own markup as is', () => {
    const item = html`<li>${'<b>&"\''}</li>`;
    expect(html`<ul>${item}${[item, item]}${null}${undefined}</ul><p>${42}</p>`.toString()).toBe(
      `<ul>${'<li>&lt;b&gt;&amp;&quot;&#39;</li>'.repeat(3)}</ul><p>42</p>`,
    );
  });
});

describe('the weather page', () => {
  const weather: Weather = {
    provider: 'openweather',
    place: 'Ville <i>',
    country: null,
    coordinates: { lat: 0, lon: 0 },
    temperature: -0.5,
    feelsLike: -3.2,
    humidity: 90,
    wind: { speed: 0, direction: null },
    description: '<img src=x onerror=alert(1)>',
    icon: '01n',
    observedAt: '2024-11-01T23:59:00.000Z',
    units: 'metric',
  };

  it('escapes everything the provider said and leaves out what it did not say', () => {
    const body = weatherPage(weather);
    expect(body).not.toContain('<img');
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(body).toContain('<h1>Weather Information for Ville &lt;i&gt;</h1>');
    expect(body).toContain('<dd>-1 °C</dd>');
    expect(body).toContain('<dd>0.0 m/s</dd>');
    expect(body).toContain('🌙');
  });
});

describe('formatting', () => {
  it.each([
    [0, 'N'],
    [22, 'N'],
    [23, 'NE'],
    [240, 'SW'],
    [338, 'N'],
    [360, 'N'],
  ])('names wind from %i° as from the %s', (direction, point) => {
    expect(wind({ speed: 3.14, direction }, 'imperial')).toBe(`3.1 mph from the ${point}`);
  });

  it.each([
    ['01d', '☀️'],
    ['01n', '🌙'],
    ['10n', '🌦️'],
    ['50d', '🌫️'],
  ])('shows icon %s as %s', (icon, emoji) => {
    expect(iconEmoji(icon)).toBe(emoji);
  });
});
