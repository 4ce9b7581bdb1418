import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export type Env = Readonly<Record<string, string | undefined>>;

/** What a service tells the kit about itself; each app assembles one in its src/app.ts. */
export interface ServiceDefinition<Options extends object> {
  name: string;
  description: string;
  defaultPort: number;
  /** The service's own routes; health, docs and errors are added by the kit. */
  routes: FastifyPluginAsyncTypebox<Options>;
  defaultOptions: Options;
  /** Reads the service's own settings from the environment; throws an Error naming a bad variable. */
  readOptions: (env: Env) => Options;
  /** Log paths to censor (pino `redact`), for anything secret a request or error might carry. */
  redactPaths?: string[];
  /** Secret values among the service's settings (API keys): censored wherever they appear in a log line. */
  secrets?: (options: Options) => (string | undefined)[];
  /**
   * The response cache's budget in bytes (bodies, plus room for their headers), when the routes that opt in
   * (`config: { responseCache: true }`) need another than the kit's default: room for every answer a route
   * can give, say, when there are few enough of them.
   */
  responseCacheBytes?: (options: Options) => number;
}
