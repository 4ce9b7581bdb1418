import { Type, type Static } from 'typebox';

const unitsDescription = 'metric: °C and m/s; imperial: °F and mph';

/** OpenWeather's icon codes: a condition (01 clear … 50 mist), then d for day or n for night. */
export const iconPattern = '^(01|02|03|04|09|10|11|13|50)[dn]$';

export const Units = Type.Enum(['metric', 'imperial'], { description: unitsDescription });
export type Units = Static<typeof Units>;

/** The one answer shape, whichever provider served it. */
export const Weather = Type.Object(
  {
    provider: Type.Enum(['openweather', 'open-meteo'], { description: 'Who measured it' }),
    place: Type.Union([Type.String(), Type.Null()], { description: 'Place name; null when the provider has none for these coordinates' }),
    country: Type.Union([Type.String(), Type.Null()], { description: 'ISO 3166-1 alpha-2 country code, e.g. GB; null when unknown' }),
    coordinates: Type.Object({ lat: Type.Number(), lon: Type.Number() }),
    temperature: Type.Number({ description: '°C or °F, see units' }),
    feelsLike: Type.Number({ description: 'Apparent temperature, °C or °F' }),
    humidity: Type.Number({ minimum: 0, maximum: 100, description: 'Relative humidity, %' }),
    wind: Type.Object({
      speed: Type.Number({ minimum: 0, description: 'm/s or mph, see units' }),
      direction: Type.Union([Type.Number({ minimum: 0, maximum: 360 }), Type.Null()], {
        description: 'Degrees the wind comes from (0 = north); null when the provider gives none',
      }),
    }),
    description: Type.String({ description: 'In words, e.g. "light rain"' }),
    icon: Type.String({
      pattern: iconPattern,
      description: "OpenWeather's icon code (d = day, n = night), whichever provider answered: 01d clear sky, 10n rain at night…",
    }),
    observedAt: Type.String({ format: 'date-time', description: 'When it was measured, UTC' }),
    units: Units,
  },
  { $id: 'Weather' },
);
export type Weather = Static<typeof Weather>;
export type ProviderName = Weather['provider'];

export const WeatherQuerystring = Type.Object({
  city: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'A place name, e.g. London', examples: ['London'] })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'Latitude; give lat and lon instead of city' })),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: 'Longitude; give lat and lon instead of city' })),
  units: Type.Optional(Type.Enum(['metric', 'imperial'], { default: 'metric', description: unitsDescription })),
});
export type WeatherQuerystring = Static<typeof WeatherQuerystring>;
