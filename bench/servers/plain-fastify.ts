import Fastify from 'fastify';

/**
 * Fastify with nothing added (no logger, plugins, hooks or schemas), answering the same fixed bodies
 * as bare-node.mjs: what the framework itself costs, between node:http and our service.
 */
const bodies = Object.entries(JSON.parse(process.env.BODIES ?? '{}') as Record<string, string>);
const app = Fastify({ logger: false });
for (const [path, body] of bodies) {
  app.get(path, (_request, reply) => {
    void reply.type('application/json; charset=utf-8').send(body);
  });
}
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close());
