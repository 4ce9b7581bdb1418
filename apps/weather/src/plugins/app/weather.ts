import fp from 'fastify-plugin';
import type { ServiceOptions } from '../../options.ts';
import { createProvider } from '../../providers/index.ts';
import { WeatherLookup } from '../../weather/weather-lookup.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Current weather from the configured provider, cached for WEATHER_CACHE_TTL_MS. */
    weather: WeatherLookup;
  }
}

export default fp<ServiceOptions>(
  async (app, options) => {
    const lookup = new WeatherLookup(createProvider(options), { ttlMs: options.cacheTtlMs });
    app.log.info({ provider: lookup.provider }, `weather from ${lookup.provider}`);
    app.decorate('weather', lookup);
  },
  { name: 'weather' },
);
