import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { servedUnderPressure } from '../plugins/overload.ts';

const Status = (value: string) => Type.Object({ status: Type.Literal(value) });

/** Probes for orchestrators and the smoke test that every deploy runs. */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Liveness answers even while the service sheds load: an orchestrator that restarted a busy but
  // working process would only make the overload worse. /ready does answer 503 then, to drain us.
  app.get(
    '/health',
    { config: servedUnderPressure, schema: { operationId: 'getHealth', tags: ['health'], summary: 'Liveness: the process is up', response: { 200: Status('ok') } } },
    async () => ({ status: 'ok' as const }),
  );

  // Fastify answers 503 by itself once close() has begun (return503OnClosing), so load balancers drain us.
  app.get(
    '/ready',
    {
      schema: {
        operationId: 'getReady',
        tags: ['health'],
        summary: 'Readiness: accepting traffic',
        response: { 200: Status('ready'), 503: Type.Ref('ErrorResponse', { description: 'Shutting down or overloaded: send traffic elsewhere' }) },
      },
    },
    async () => ({ status: 'ready' as const }),
  );

  app.get(
    '/api/ping',
    { schema: { operationId: 'getPing', tags: ['health'], summary: 'Smoke test after a deploy', response: { 200: Type.Object({ ping: Type.Literal('pong') }) } } },
    async () => ({ ping: 'pong' as const }),
  );
};

export default healthRoutes;
