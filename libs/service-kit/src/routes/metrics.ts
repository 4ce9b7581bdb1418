import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { HttpMetrics } from '../metrics/http-metrics.ts';
import { servedUnderPressure } from '../plugins/overload.ts';

export interface MetricsRouteOptions {
  metrics: HttpMetrics;
}

/**
 * What Prometheus scrapes. Left out of the per-route series: the scrapes are the monitor's own traffic, at its
 * own pace, and would show as load the service never had. Served under load too, when an operator needs it most.
 */
const metricsRoute: FastifyPluginAsyncTypebox<MetricsRouteOptions> = async (app, { metrics }) => {
  app.get(
    '/metrics',
    {
      config: { ...servedUnderPressure, metrics: false },
      schema: {
        operationId: 'getMetrics',
        tags: ['observability'],
        summary: 'Prometheus metrics: requests per route (rate, errors, duration) and the process',
        response: {
          200: {
            description: 'The Prometheus text exposition format, version 0.0.4',
            content: { 'text/plain': { schema: Type.String() } },
          },
        },
      },
    },
    async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()),
  );
};

export default metricsRoute;
