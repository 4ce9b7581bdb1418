import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { cachedServer } from './http/cached-server.ts';
import { requestIdOf } from './http/request-id.ts';
import { ResponseCache } from './http/response-cache.ts';
import { serverTimeouts } from './http/timeouts.ts';
import { HttpMetrics } from './metrics/http-metrics.ts';
import errors from './plugins/errors.ts';
import metricsPlugin from './plugins/metrics.ts';
import overload from './plugins/overload.ts';
import rateLimit from './plugins/rate-limit.ts';
import requestId from './plugins/request-id.ts';
import responseCachePlugin from './plugins/response-cache.ts';
import swagger from './plugins/swagger.ts';
import healthRoutes from './routes/health.ts';
import metricsRoute from './routes/metrics.ts';
import type { ServiceDefinition } from './service-definition.ts';
import { censor, scrubSecrets } from './logging/scrub-secrets.ts';
import { schemaCompilers, type SchemaCompilers } from './schemas/schema-compilers.ts';
import { defaultMaxEventLoopDelayMs, readServerSettings } from './settings.ts';

export interface BuildOptions<Options extends object> {
  /** Pino options, or false for silence (the default, for tests). */
  logger?: Exclude<FastifyServerOptions['logger'], true>;
  /** One log line per request; off by default because it halves throughput on a small host. */
  logRequests?: boolean;
  /** How long a client may take to send a whole request (REQUEST_TIMEOUT_MS); answered 408 past it. */
  requestTimeoutMs?: number;
  /** How long a connection with a request in hand may stay silent (CONNECTION_TIMEOUT_MS) before it is cut. */
  connectionTimeoutMs?: number;
  /** Requests a client may make a minute to the routes with `config: rateLimited`; off (0) unless given. */
  rateLimitPerMinute?: number;
  /** Whose X-Forwarded-For names the client (Fastify's trustProxy); none unless given. */
  trustProxy?: string | number | false;
  /** Answer 503 + Retry-After while the event loop lags more than this; 0 turns it off. */
  maxEventLoopDelayMs?: number;
  /** Shown in the OpenAPI document; the image sets it from the release tag. */
  version?: string;
  /**
   * Check every route schema against the JSON Schema meta-schema as it is compiled (the default). The
   * image skips it: the same schemas passed in the tests, and compiling the meta-schema costs start-up time.
   */
  checkSchemas?: boolean;
  /** Where the routes' validators and serializers come from: by default the bundle's precompiled ones, else compiled at start. */
  schemaCompilers?: SchemaCompilers;
  /** Where the service listens, for the OpenAPI document's `servers`; by default where PORT and HOST unset put it. */
  listen?: { host: string; port: number };
  /** Overrides of the service's own settings. */
  service?: Partial<Options>;
}

/** Enough for thousands of typical answers; a small share of a service's memory. A service may ask for another budget. */
export const defaultResponseCacheBytes = 8 * 1024 * 1024;

/**
 * The largest request body any route takes unless it says otherwise (Fastify's default is 1 MiB): most
 * routes are GETs and need none. A route that takes a body sets its own `bodyLimit`, sized to its schema.
 */
export const defaultBodyLimitBytes = 1024;

/** A ready Fastify app: the kit's plugins and routes, then the service's own routes. */
export async function buildService<Options extends object>(
  definition: ServiceDefinition<Options>,
  options: BuildOptions<Options> = {},
) {
  const serviceOptions = { ...definition.defaultOptions, ...options.service };
  const logger = options.logger ? censoredLogger(options.logger, definition.redactPaths ?? [], definition.secrets?.(serviceOptions) ?? []) : false;
  // An answer from the cache never reaches Fastify and is not logged: logging each request turns it off.
  const responseCache =
    options.logRequests === true ? undefined : new ResponseCache(definition.responseCacheBytes?.(serviceOptions) ?? defaultResponseCacheBytes);
  const metrics = new HttpMetrics();
  const app = Fastify({
    ...(responseCache && { serverFactory: cachedServer(responseCache, metrics) }),
    ...serverTimeouts(options.requestTimeoutMs, options.connectionTimeoutMs),
    bodyLimit: defaultBodyLimitBytes,
    // A number of proxies as Fastify documents it (the nth hop from the right); its types take it as a function only.
    trustProxy: typeof options.trustProxy === 'number' ? trustHops(options.trustProxy) : (options.trustProxy ?? false),
    logger,
    // The caller's x-request-id when it is sane, else a new UUID: on every log line of the request, as `reqId`.
    requestIdHeader: false,
    genReqId: requestIdOf,
    logController: new LogController({ disableRequestLogging: !(options.logRequests ?? false) }),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    schemaController: { compilersFactory: options.schemaCompilers ?? schemaCompilers() },
    ajv: { customOptions: { validateSchema: options.checkSchemas ?? true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(requestId);
  await app.register(metricsPlugin, { metrics });
  await app.register(errors);
  if (responseCache) await app.register(responseCachePlugin, { cache: responseCache });
  await app.register(rateLimit, { perMinute: options.rateLimitPerMinute ?? 0 });
  await app.register(overload, { maxEventLoopDelayMs: options.maxEventLoopDelayMs ?? defaultMaxEventLoopDelayMs });
  await app.register(swagger, {
    title: definition.name,
    description: definition.description,
    version: options.version ?? '0.0.0-dev',
    listen: options.listen ?? readServerSettings({}, definition.defaultPort),
  });
  await app.register(healthRoutes);
  await app.register(metricsRoute, { metrics });
  await app.register(definition.routes, serviceOptions);

  await app.ready();
  return app;
}

function trustHops(proxies: number) {
  return (_address: string, hop: number) => hop < proxies;
}

type LoggerOptions = Exclude<BuildOptions<object>['logger'], false | undefined>;

/** Secrets never reach the output: censored by path (pino `redact`) and by value (in any string). */
function censoredLogger(logger: LoggerOptions, redactPaths: string[], secrets: (string | undefined)[]): LoggerOptions {
  const censored = { ...logger, redact: { paths: redactPaths, censor } };
  const values = secrets.filter((secret): secret is string => secret !== undefined && secret !== '');
  // Without secrets pino keeps its own, faster stdout writer.
  if (values.length === 0) return censored;
  return { ...censored, stream: scrubSecrets(values, logger.stream ?? process.stdout) };
}
