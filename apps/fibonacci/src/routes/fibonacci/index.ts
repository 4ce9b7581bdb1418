import createError from '@fastify/error';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FibonacciResponses } from '../../fibonacci/responses.ts';
import { errorResponses } from '@fastify-gitlab/service-kit';
import { FibonacciParams, FibonacciResult } from '../../schemas/fibonacci.ts';
import type { ServiceOptions } from '../../options.ts';

const decimalDigits = /^[0-9]+$/;
const NotDecimal = createError<[string]>('FIB_NOT_DECIMAL', 'params/n must be a whole number written in decimal digits, got "%s"', 400);

const fibonacciRoutes: FastifyPluginAsyncTypebox<ServiceOptions> = async (app, { maxN }) => {
  const responses = new FibonacciResponses();

  app.get(
    '/api/fibonacci/:n',
    {
      schema: {
        operationId: 'getFibonacci',
        tags: ['fibonacci'],
        summary: 'The n-th Fibonacci number',
        description: `fib(0) = 0, fib(1) = 1, fib(8) = 21. Exact for every n up to ${maxN}.`,
        params: FibonacciParams(maxN),
        response: { 200: FibonacciResult, ...errorResponses },
      },
      // fib(n) never changes: a repeat of a URL is answered from the kit's response cache, without the route.
      config: { responseCache: true },
      // Validation coerces "0x10", "1e1" or " 8" to numbers; the API only takes plain decimal digits.
      // A callback hook, not an async one: it runs on every request, and a promise each time costs throughput.
      preValidation: (request, _reply, done) => {
        // Before validation the params are still the raw strings from the URL.
        const raw = String((request.params as Record<string, unknown>).n);
        done(decimalDigits.test(raw) ? undefined : new NotDecimal(raw));
      },
    },
    (request, reply) => {
      // The body is already JSON (see FibonacciResponses); Fastify sends bytes with a JSON type as they are.
      reply.type('application/json; charset=utf-8').send(responses.body(request.params.n));
    },
  );
};

export default fibonacciRoutes;
