import sensible from '@fastify/sensible';
import fp from 'fastify-plugin';

/** `app.httpErrors.*` so a route throws a 4xx that names the problem in one line. */
export default fp(async (app) => {
  await app.register(sensible);
}, { name: 'sensible' });
