import type { Units, Weather } from '../schemas/weather.ts';
import { iconEmoji, observedAt, temperature, wind } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { page } from './layout.ts';

const title = 'Weather Information';

const providerNames: Record<Weather['provider'], string> = { openweather: 'OpenWeather', 'open-meteo': 'Open-Meteo' };

/** The original's form (one `city` field, POST /weather), plus a choice of units that defaults to °F as it did. */
function searchForm(city = '', units: Units = 'imperial'): SafeHtml {
  const option = (value: Units, label: string) =>
    value === units ? html`<option value="${value}" selected>${label}</option>` : html`<option value="${value}">${label}</option>`;
  return html`<form method="post" action="/weather">
<label for="city">City</label>
<input id="city" name="city" type="text" value="${city}" placeholder="e.g. London" maxlength="100" required autofocus>
<select name="units" aria-label="Units">${[option('imperial', '°F'), option('metric', '°C')]}</select>
<button type="submit">Get weather</button>
</form>`;
}

export function homePage(): string {
  return page(title, html`<h1>${title}</h1>
${searchForm()}`);
}

export function weatherPage(weather: Weather): string {
  const place = [weather.place, weather.country].filter((part) => part !== null).join(', ');
  return page(
    `${place}: ${title}`,
    html`<h1>${title} for ${place}</h1>
<p class="now"><span class="icon" aria-hidden="true">${iconEmoji(weather.icon)}</span>
<span class="temperature">${temperature(weather.temperature, weather.units)}</span>
<span class="description">${weather.description}</span></p>
<dl>
<dt>Temperature</dt><dd>${temperature(weather.temperature, weather.units)}</dd>
<dt>Feels like</dt><dd>${temperature(weather.feelsLike, weather.units)}</dd>
<dt>Humidity</dt><dd>${Math.round(weather.humidity)}%</dd>
<dt>Wind</dt><dd>${wind(weather.wind, weather.units)}</dd>
<dt>Description</dt><dd>${weather.description}</dd>
<dt>Observed</dt><dd><time datetime="${weather.observedAt}">${observedAt(weather.observedAt)}</time></dd>
</dl>
${searchForm(weather.place ?? '', weather.units)}
<footer>Data from ${providerNames[weather.provider]}.</footer>`,
  );
}

/** What went wrong, in words, with the form filled in as it was sent so the user can correct it. */
export function errorPage(statusCode: number, message: string, city: string, units: Units): string {
  const advice = statusCode >= 500 ? ' Please try again in a moment.' : '';
  return page(
    `Error: ${title}`,
    html`<h1>${title}</h1>
<p class="error" role="alert">${message}.${advice}</p>
${searchForm(city, units)}`,
  );
}
