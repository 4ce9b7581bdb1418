import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { readServiceOptions } from './options.ts';
import { readServerConfig } from './server-config.ts';
import { service } from './service.ts';

const { config, serviceOptions } = readSettingsOrExit(process.env);
const app = await buildApp({
  logger: { level: config.logLevel, name: service.name },
  logRequests: config.logRequests,
  version: process.env.SERVICE_VERSION,
  service: serviceOptions,
});

// On SIGTERM/SIGINT stop accepting, let in-flight requests finish, then exit; give up after the timeout.
closeWithGrace({ delay: config.shutdownTimeoutMs }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an uncaught error');
  else app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  await app.close();
});

await app.listen({ port: config.port, host: config.host });

/** A bad setting stops the process before anything listens, with one line naming the variable. */
function readSettingsOrExit(env: NodeJS.ProcessEnv) {
  try {
    return { config: readServerConfig(env, service.defaultPort), serviceOptions: readServiceOptions(env) };
  } catch (error) {
    console.error(`${service.name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
