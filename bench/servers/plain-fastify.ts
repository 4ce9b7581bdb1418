import Fastify from 'fastify';
import { fibonacciBody } from '../../apps/fibonacci/src/fibonacci/responses.ts';

/**
 * Fastify with nothing added (no logger, plugins, hooks or schemas): what the framework itself costs, between
 * node:http and our service. It answers the paths in BODIES with those fixed bodies, as bare-node.mjs does,
 * and any other n by computing fib(n) with our service's own code on every request, without a cache.
 */
const bodies = Object.entries(JSON.parse(process.env.BODIES ?? '{}') as Record<string, string>);
const maxN = Number(process.env.FIB_MAX_N ?? 10_000);
const app = Fastify({ logger: false });
for (const [path, body] of bodies) {
  app.get(path, (_request, reply) => {
    void reply.type('application/json; charset=utf-8').send(body);
  });
}
app.get<{ Params: { n: string } }>('/api/fibonacci/:n', (request, reply) => {
  const n = Number(request.params.n);
  if (!/^[0-9]+$/.test(request.params.n) || n > maxN) void reply.code(400).send({ message: `params/n must be a whole number from 0 to ${maxN}` });
  else void reply.type('application/json; charset=utf-8').send(fibonacciBody(n));
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close());
