import type { FastifyError, FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorResponse, errorBody } from '../schemas/errors.ts';

/**
 * One JSON error shape for every failure. An error that carries a status code was raised on purpose
 * and its message names the problem; anything else is a bug, logged in full and answered without internals.
 */
export default fp(async (app) => {
  app.addSchema(ErrorResponse);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.statusCode === undefined || error.statusCode < 400) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send(errorBody(500, 'Something went wrong on our side'));
    }
    request.log[error.statusCode >= 500 ? 'error' : 'info']({ err: error }, 'request rejected');
    return reply.code(error.statusCode).send(errorBody(error.statusCode, error.message, error.code));
  });

  // Fastify's own wording, plus the accepted values where a field takes only some.
  app.setSchemaErrorFormatter((errors, dataVar) => new Error(errors.map((error) => `${dataVar}${error.instancePath} ${describe(error)}`).join(', ')));

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    return reply.code(404).send(errorBody(404, `No route for ${request.method} ${path}`));
  });
}, { name: 'errors' });

function describe({ keyword, message = 'is invalid', params }: FastifySchemaValidationError): string {
  return keyword === 'enum' && Array.isArray(params.allowedValues) ? `${message}: ${params.allowedValues.join(', ')}` : message;
}
