/** What the generator recorded for this service (project.json `metadata.service` holds the same answers). */
export const service = {
  name: 'weather',
  description: 'Current weather for a city or coordinates, from Open-Meteo (no key) or OpenWeather.',
  defaultPort: 3001,
};
