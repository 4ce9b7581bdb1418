import { buildService, type BuildOptions, type ServiceDefinition } from '@fastify-gitlab/service-kit';
import { defaultServiceOptions, readServiceOptions, type ServiceOptions } from './options.ts';
import routes from './routes/index.ts';
import { service } from './service.ts';

export const definition: ServiceDefinition<ServiceOptions> = {
  ...service,
  routes,
  defaultOptions: defaultServiceOptions,
  readOptions: readServiceOptions,
  // The key travels in OpenWeather's query string, so it could surface in any error text or URL logged.
  secrets: ({ openWeatherApiKey }) => [openWeatherApiKey],
};

export type AppOptions = BuildOptions<ServiceOptions>;

/** The ready app: the kit's health, docs and error handling, plus this service's routes and pages. */
export function buildApp(options: AppOptions = {}) {
  return buildService(definition, options);
}
