import { Type, type Static } from 'typebox';

/** The form the original posted: `city`, and now `units` too (°F when absent, as before). */
export const WeatherForm = Type.Object({
  city: Type.String({ minLength: 1, maxLength: 100, description: 'A place name, e.g. London' }),
  units: Type.Optional(Type.Enum(['metric', 'imperial'], { default: 'imperial', description: 'imperial: °F and mph; metric: °C and m/s' })),
});
export type WeatherForm = Static<typeof WeatherForm>;

/**
 * The largest form a browser sends for it: 100 characters of up to 4 bytes in UTF-8, each byte written as %XX
 * (1 200 bytes), plus the field names and units. The kit's default (1 KiB) is for routes without a body.
 */
export const weatherFormBytes = 2048;
