import { buildService, type BuildOptions, type ServiceDefinition } from '@fastify-gitlab/service-kit';
import { optionsDefinition, type ServiceOptions } from './options.ts';
import routes from './routes/index.ts';
import { service } from './service.ts';

/** What the service is: its recorded name, description and port, its settings (options.ts), and its routes. */
export const definition: ServiceDefinition<ServiceOptions> = { ...service, ...optionsDefinition, routes };

export type AppOptions = BuildOptions<ServiceOptions>;

/** The ready app: the kit's health, docs and error handling, plus this service's routes. */
export function buildApp(options: AppOptions = {}) {
  return buildService(definition, options);
}
