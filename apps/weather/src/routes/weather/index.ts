import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, rateLimited, rateLimitedResponses } from '@fastify-gitlab/service-kit';
import { Type } from 'typebox';
import { Weather, WeatherQuerystring } from '../../schemas/weather.ts';
import { locationFrom } from '../../weather/location.ts';

const upstreamErrors = {
  502: Type.Ref('ErrorResponse', { description: 'The provider failed, or answered something unexpected' }),
  504: Type.Ref('ErrorResponse', { description: 'The provider did not answer in time (UPSTREAM_TIMEOUT_MS)' }),
};

const weatherRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Weather);

  app.get(
    '/api/weather',
    {
      // A place not in the cache costs a call on the provider's quota.
      config: rateLimited,
      schema: {
        operationId: 'getWeather',
        tags: ['weather'],
        summary: 'Current weather for a city or coordinates',
        description:
          'Either `city`, or `lat` and `lon`. The answer has one shape whichever provider served it ' +
          `(now: ${app.weather.provider}); the same place is answered from a short-lived cache.`,
        querystring: WeatherQuerystring,
        response: { 200: Type.Ref('Weather'), ...errorResponses, ...rateLimitedResponses, ...upstreamErrors },
      },
    },
    async (request) => {
      const { units = 'metric', ...where } = request.query;
      return app.weather.current({ location: locationFrom(where), units });
    },
  );
};

export default weatherRoutes;
