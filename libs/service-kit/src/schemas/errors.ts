import { Type, type Static } from 'typebox';

const { STATUS_CODES } = process.getBuiltinModule('node:http');

/** The body of every error this service answers: Fastify's own shape, so clients see one format. */
export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer({ minimum: 400, maximum: 599 }),
    code: Type.Optional(Type.String()),
    error: Type.String({ description: 'The HTTP reason phrase' }),
    message: Type.String({ description: 'What was wrong, in words' }),
  },
  { $id: 'ErrorResponse' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const errorResponses = {
  400: Type.Ref('ErrorResponse', { description: 'The request does not match the schema; the message names the field' }),
  404: Type.Ref('ErrorResponse', { description: 'No such resource' }),
  503: Type.Ref('ErrorResponse', { description: 'Overloaded (with Retry-After) or shutting down: try again, possibly on another instance' }),
} as const;

export function errorBody(statusCode: number, message: string, code?: string): ErrorResponse {
  return { statusCode, ...(code === undefined ? {} : { code }), error: STATUS_CODES[statusCode] ?? 'Error', message };
}
