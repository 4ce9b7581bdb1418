import type { onSendHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { withHook } from './route-hooks.ts';
import type { ResponseCache } from '../http/response-cache.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Keep this route's 200 answers and send them again for the same URL without running the route:
     * only for a GET whose answer depends on the URL alone and never changes.
     */
    responseCache?: boolean;
  }
}

export interface ResponseCachePluginOptions {
  cache: ResponseCache;
}

/** Fills the cache from the routes that opt in; the server in front of Fastify answers from it. */
export default fp<ResponseCachePluginOptions>(async (app, { cache }) => {
  // The route's template is kept with each answer, for the metrics of the answers the cache sends.
  const keeper = (route: string): onSendHookHandler => (request, reply, payload, done) => {
    const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : undefined;
    if (request.method === 'GET' && reply.statusCode === 200 && body !== undefined) cache.store(request.raw.url ?? request.url, route, reply.getHeaders(), body);
    done(null, payload);
  };
  // Only the routes that opt in pay for the hook.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.responseCache !== true) return;
    route.onSend = withHook(route.onSend, keeper(route.url));
  });
  app.addHook('preClose', async () => {
    cache.stopServing();
  });
}, { name: 'response-cache' });
