import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServiceOptions } from '../options.ts';
import fibonacciRoutes from './fibonacci/index.ts';

/** This service's own routes; app.ts adds the ones every service has (health, docs, errors). */
const routes: FastifyPluginAsyncTypebox<ServiceOptions> = async (app, options) => {
  await app.register(fibonacciRoutes, options);
};

export default routes;
