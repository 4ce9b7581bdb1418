import fp from 'fastify-plugin';
import { requestIdHeader } from '../http/request-id.ts';

/**
 * Every answer says which request it is (`x-request-id`), the id its log lines carry as `reqId`. Set as the
 * request arrives, so even an answer that never reaches the route (a 404, a 400, an overload 503) has it.
 */
export default fp(async (app) => {
  // A callback hook, not an async one: it runs on every request, and a promise each time costs throughput.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(requestIdHeader, request.id);
    done();
  });
}, { name: 'request-id' });
