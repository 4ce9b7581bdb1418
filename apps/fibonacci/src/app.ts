import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { defaultServiceOptions, type ServiceOptions } from './options.ts';
import errors from './plugins/app/errors.ts';
import sensible from './plugins/external/sensible.ts';
import swagger from './plugins/external/swagger.ts';
import healthRoutes from './routes/health/index.ts';
import routes from './routes/index.ts';

export interface AppOptions {
  /** Pino options, or false for silence (tests). */
  logger?: FastifyServerOptions['logger'];
  /** One log line per request; off by default because it halves throughput on a small host. */
  logRequests?: boolean;
  /** Shown in the OpenAPI document; the image sets it from the release tag. */
  version?: string;
  service?: Partial<ServiceOptions>;
}

export async function buildApp(options: AppOptions = {}) {
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: !(options.logRequests ?? false) }),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(sensible);
  await app.register(errors);
  await app.register(swagger, { version: options.version ?? '0.0.0-dev' });
  await app.register(healthRoutes);
  await app.register(routes, { ...defaultServiceOptions, ...options.service });

  await app.ready();
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
