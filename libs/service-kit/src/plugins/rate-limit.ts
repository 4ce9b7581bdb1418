import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { Type } from 'typebox';

export interface RateLimitOptions {
  /** Requests each client may make to the routes that opt in, per minute; 0 turns the limit off. */
  perMinute: number;
}

/**
 * Route config for a route that costs something per request, such as a call to a paid upstream API:
 * `{ config: rateLimited }`. Other routes (health, docs, cached answers) are not limited.
 */
export const rateLimited = { rateLimit: {} };

/** What a rate-limited route documents beside its own answers. */
export const rateLimitedResponses = {
  429: Type.Ref('ErrorResponse', { description: 'Too many requests from this client: wait the seconds Retry-After gives' }),
};

/**
 * Per-client rate limiting (@fastify/rate-limit, counted in memory per client address: see TRUST_PROXY).
 * Past the limit a client gets 429 with Retry-After, and the kit's JSON error naming the problem.
 */
export default fp<RateLimitOptions>(
  async (app, { perMinute }) => {
    if (perMinute === 0) return;
    await app.register(rateLimit, {
      global: false,
      max: perMinute,
      timeWindow: 60_000,
      // The same whole seconds as Retry-After.
      errorResponseBuilder: (_request, { statusCode, ttl }) =>
        Object.assign(new Error(`Too many requests from this client: at most ${perMinute} a minute; retry in ${Math.ceil(ttl / 1000)} s`), {
          statusCode,
          code: 'RATE_LIMITED',
        }),
    });
  },
  { name: 'rate-limit' },
);
