import closeWithGrace from 'close-with-grace';
import { buildService, type BuildOptions } from './build-service.ts';
import { schemaSourcesFileVariable } from './schemas/precompiled.ts';
import type { Env, ServiceDefinition } from './service-definition.ts';
import { readServerSettings } from './settings.ts';

/**
 * What a service's main.ts does: read the environment, build, listen, and on SIGTERM/SIGINT stop
 * accepting, let in-flight requests finish and exit (giving up after SHUTDOWN_TIMEOUT_MS).
 * With PRECOMPILE_SCHEMAS_TO set (by tools/build), it writes the code of its schemas there instead, and returns.
 */
export async function runService<Options extends object>(definition: ServiceDefinition<Options>, env: Env = process.env) {
  const { server, service } = readSettingsOrExit(definition, env);
  const options: BuildOptions<Options> = {
    logger: { level: server.logLevel, name: definition.name },
    logRequests: server.logRequests,
    maxEventLoopDelayMs: server.maxEventLoopDelayMs,
    requestTimeoutMs: server.requestTimeoutMs,
    connectionTimeoutMs: server.connectionTimeoutMs,
    rateLimitPerMinute: server.rateLimitPerMinute,
    trustProxy: server.trustProxy,
    version: env.SERVICE_VERSION,
    listen: server,
    checkSchemas: env.NODE_ENV !== 'production',
    service,
  };
  const schemaSourcesFile = env[schemaSourcesFileVariable];
  if (schemaSourcesFile) {
    // Imported only here: with it a bundle would load Ajv and both compilers at every start.
    const { writeSchemaSources } = await import('./schemas/write-schema-sources.ts');
    return writeSchemaSources(definition, options, schemaSourcesFile);
  }
  const app = await buildService(definition, options);

  closeWithGrace({ delay: server.shutdownTimeoutMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error');
    else app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    await app.close();
  });

  await app.listen({ port: server.port, host: server.host });
  return app;
}

/** A bad setting stops the process before anything listens, with one line naming the variable. */
function readSettingsOrExit<Options extends object>(definition: ServiceDefinition<Options>, env: Env) {
  try {
    return { server: readServerSettings(env, definition.defaultPort), service: definition.readOptions(env) };
  } catch (error) {
    console.error(`${definition.name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
