import type { Location } from '../providers/provider.ts';
import { WeatherError } from './errors.ts';

const badLocation = (message: string) => new WeatherError(400, 'WEATHER_BAD_LOCATION', message);

/** The place a request names: a city, or lat and lon together. Anything else is a 400 that says what to send. */
export function locationFrom({ city, lat, lon }: { city?: string | undefined; lat?: number | undefined; lon?: number | undefined }): Location {
  const hasCoordinates = lat !== undefined || lon !== undefined;
  if (city !== undefined) {
    if (hasCoordinates) throw badLocation('Give either city or lat and lon, not both');
    const name = city.trim().replace(/\s+/g, ' ');
    if (name === '') throw badLocation('city must not be blank');
    return { city: name };
  }
  if (lat !== undefined && lon !== undefined) return { lat, lon };
  if (hasCoordinates) throw badLocation(`lat and lon go together: ${lat === undefined ? 'lat' : 'lon'} is missing`);
  throw badLocation('Give a city (?city=London) or coordinates (?lat=51.51&lon=-0.13)');
}
