import type { FastifySchema } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../schemas/errors.ts';

/** The workspace's license (the root package.json's `license`, which test/openapi/document.test.ts holds it to; the repository has no LICENSE file). */
export const license = { name: 'MIT', identifier: 'MIT' } as const;

/** Where the service is reached: its listen address, with a wildcard host read as this machine. */
export function serverUrl({ host, port }: { host: string; port: number }): string {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * What every route can answer besides its own statuses, added to its document (not to its serializer): 400 when it
 * validates input, 500 for a bug, 503 while overloaded or closing. A route's own description of a status wins.
 */
const sharedStatuses = (validatesInput: boolean) => ({
  ...(validatesInput && { 400: errorResponses[400] }),
  500: Type.Ref('ErrorResponse', { description: 'Something went wrong on our side' }),
  503: errorResponses[503],
});

/** The route's schema as the document shows it: with the statuses every route shares. */
export function documentedSchema(schema: FastifySchema): FastifySchema {
  const validatesInput = schema.params !== undefined || schema.querystring !== undefined || schema.body !== undefined;
  const own = (schema.response ?? {}) as Record<string, unknown>;
  return { ...schema, response: { ...sharedStatuses(validatesInput), ...own } };
}
