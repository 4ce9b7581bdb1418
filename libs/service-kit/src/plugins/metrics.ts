import type { onResponseHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { withHook } from './route-hooks.ts';
import { unmatchedRoute, type HttpMetrics } from '../metrics/http-metrics.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false leaves this route out of the per-route series (the metrics route itself). */
    metrics?: false;
  }
}

export interface MetricsPluginOptions {
  metrics: HttpMetrics;
}

/**
 * Times every answer Fastify sends, labelled with its route's template. The answers the response cache sends
 * never reach Fastify: the cached server counts those (http/cached-server.ts).
 */
export default fp<MetricsPluginOptions>(async (app, { metrics }) => {
  // One hook per route, knowing its template: nothing is looked up or allocated per request to label it.
  const observerOf = (route: string): onResponseHookHandler => (request, reply, done) => {
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.metrics === false) return;
    route.onResponse = withHook(route.onResponse, observerOf(route.url));
  });
  // The not-found handler is no route, so only a hook on the whole app sees its answers.
  app.addHook('onResponse', (request, reply, done) => {
    if (request.is404) metrics.observe(request.method, unmatchedRoute, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}, { name: 'metrics' });
