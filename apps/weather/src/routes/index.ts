import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServiceOptions } from '../options.ts';
import weather from '../plugins/app/weather.ts';
import pageRoutes from './pages/index.ts';
import weatherRoutes from './weather/index.ts';

/** This service's own routes; app.ts adds the ones every service has (health, docs, errors). */
const routes: FastifyPluginAsyncTypebox<ServiceOptions> = async (app, options) => {
  await app.register(weather, options);
  await app.register(weatherRoutes);
  await app.register(pageRoutes);
};

export default routes;
