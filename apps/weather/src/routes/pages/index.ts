import formBody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rateLimited } from '@fastify-gitlab/service-kit';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorPage, homePage, weatherPage } from '../../pages/views.ts';
import { WeatherForm, weatherFormBytes } from '../../schemas/pages.ts';
import type { Units } from '../../schemas/weather.ts';
import { locationFrom } from '../../weather/location.ts';

/** The pages only ever need their own inline style and to post their own form. */
const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function sendPage(reply: FastifyReply, statusCode: number, body: string) {
  return reply.code(statusCode).header('content-security-policy', contentSecurityPolicy).type('text/html; charset=utf-8').send(body);
}

const htmlResponse = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

/** What the error handler below answers, each as a page. */
const errorPages = {
  500: htmlResponse('Something went wrong on our side'),
};
const lookupErrorPages = {
  400: htmlResponse('The form is incomplete: the page says what to fix'),
  404: htmlResponse('The provider knows no such place'),
  ...errorPages,
  502: htmlResponse('The provider failed, or answered something unexpected'),
  504: htmlResponse('The provider did not answer in time'),
  415: htmlResponse('The body is not a form'),
};

/** The original's HTML pages, rendered on the server: the form at /, the answer (or what went wrong) at POST /weather. */
const pageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formBody);

  // In this scope an error is a page, not JSON: same status, in words, with the form to try again.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { city, units } = formSent(request);
    if (error.statusCode === undefined || error.statusCode < 400) {
      request.log.error({ err: error }, 'page failed');
      return sendPage(reply, 500, errorPage(500, 'Something went wrong on our side', city, units));
    }
    request.log[error.statusCode >= 500 ? 'error' : 'info']({ err: error }, 'page request rejected');
    const message = error.validation ? formProblem(error.validation) : error.message;
    return sendPage(reply, error.statusCode, errorPage(error.statusCode, message, city, units));
  });

  app.get(
    '/',
    { schema: { operationId: 'getHomePage', tags: ['pages'], summary: 'The search form (HTML)', response: { 200: htmlResponse('The form'), ...errorPages } } },
    async (_request, reply) => sendPage(reply, 200, homePage()),
  );

  app.post(
    '/weather',
    {
      bodyLimit: weatherFormBytes,
      // Limited as GET /api/weather is (each route keeps its own count): the same lookups, the same quota.
      config: rateLimited,
      schema: {
        operationId: 'postWeatherPage',
        tags: ['pages'],
        summary: 'The weather for the city in the form (HTML)',
        description: 'Errors come back as a page too, with the same status as the JSON API would answer.',
        consumes: ['application/x-www-form-urlencoded'],
        body: WeatherForm,
        response: { 200: htmlResponse('The weather'), ...lookupErrorPages },
      },
    },
    async (request, reply) => {
      const { city, units = 'imperial' } = request.body;
      const weather = await app.weather.current({ location: locationFrom({ city }), units });
      return sendPage(reply, 200, weatherPage(weather));
    },
  );
};

/** A validation failure in the words of the form rather than of the schema. */
function formProblem(problems: NonNullable<FastifyError['validation']>): string {
  return problems.some(({ instancePath }) => instancePath === '/units') ? 'Please choose °F or °C' : 'Please type a city name of 1 to 100 characters';
}

/** What the form held, as far as it can be read, to fill it in again on an error page. */
function formSent(request: FastifyRequest): { city: string; units: Units } {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return { city: typeof body.city === 'string' ? body.city : '', units: body.units === 'metric' ? 'metric' : 'imperial' };
}

export default pageRoutes;
