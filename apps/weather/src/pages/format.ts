import type { Units, Weather } from '../schemas/weather.ts';

const symbols: Record<Units, { temperature: string; speed: string }> = {
  metric: { temperature: '°C', speed: 'm/s' },
  imperial: { temperature: '°F', speed: 'mph' },
};

/** Whole degrees, rounded down as the original page did. */
export function temperature(value: number, units: Units): string {
  return `${Math.floor(value)} ${symbols[units].temperature}`;
}

const compassPoints = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;

export function wind({ speed, direction }: Weather['wind'], units: Units): string {
  const from = direction === null ? '' : ` from the ${compassPoints[Math.round(direction / 45) % 8] ?? 'N'}`;
  return `${speed.toFixed(1)} ${symbols[units].speed}${from}`;
}

const utc = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' });

export function observedAt(iso: string): string {
  return `${utc.format(new Date(iso))} UTC`;
}

/** The icon as an emoji, so the page loads nothing from anywhere else. */
const emoji: Record<string, string> = { '01': '☀️', '02': '🌤️', '03': '⛅', '04': '☁️', '09': '🌧️', '10': '🌦️', '11': '⛈️', '13': '❄️', '50': '🌫️' };

export function iconEmoji(icon: string): string {
  if (icon === '01n') return '🌙';
  return emoji[icon.slice(0, 2)] ?? '🌡️';
}
