import type { Server } from 'node:http';
import type { FastifyHttpOptions } from 'fastify';
import { defaultConnectionTimeoutMs, defaultRequestTimeoutMs } from '../settings.ts';

/**
 * Node checks its request and header deadlines on a timer (30 s by default), so a 10 s limit could let a
 * slow client stay 40 s. A pass over the open connections each second costs next to nothing.
 */
const deadlineCheckIntervalMs = 1000;

/**
 * The limits on a slow or stalled client, as Fastify options: the whole request (headers and body) within
 * `requestTimeoutMs`, answered 408 past it; no silence on a busy connection longer than `connectionTimeoutMs`.
 * The header deadline is the request's: Node's own (60 s) is longer, and while it is the longer one Node
 * lets a body trickle in past the request deadline (measured on Node 24).
 */
export function serverTimeouts(requestTimeoutMs = defaultRequestTimeoutMs, connectionTimeoutMs = defaultConnectionTimeoutMs) {
  return {
    requestTimeout: requestTimeoutMs,
    connectionTimeout: connectionTimeoutMs,
    http: { headersTimeout: requestTimeoutMs, connectionsCheckingInterval: deadlineCheckIntervalMs },
  } satisfies FastifyHttpOptions<Server>;
}
