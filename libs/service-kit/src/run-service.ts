import closeWithGrace from 'close-with-grace';
import { buildService } from './build-service.ts';
import type { Env, ServiceDefinition } from './service-definition.ts';
import { readServerSettings } from './settings.ts';

/**
 * What a service's main.ts does: read the environment, build, listen, and on SIGTERM/SIGINT stop
 * accepting, let in-flight requests finish and exit (giving up after SHUTDOWN_TIMEOUT_MS).
 */
export async function runService<Options extends object>(definition: ServiceDefinition<Options>, env: Env = process.env) {
  const { server, service } = readSettingsOrExit(definition, env);
  const app = await buildService(definition, {
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
  });

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
