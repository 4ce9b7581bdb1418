import { Type, type Static } from 'typebox';

/** The form the original posted: `city`, and now `units` too (°F when absent, as before). */
export const WeatherForm = Type.Object({
  city: Type.String({ minLength: 1, maxLength: 100, description: 'A place name, e.g. London' }),
  units: Type.Optional(Type.Enum(['metric', 'imperial'], { default: 'imperial', description: 'imperial: °F and mph; metric: °C and m/s' })),
});
export type WeatherForm = Static<typeof WeatherForm>;
