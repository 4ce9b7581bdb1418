import type { Server, ServerOptions } from 'node:http';
import type { FastifyServerFactoryHandler } from 'fastify';
import type { HttpMetrics } from '../metrics/http-metrics.ts';
import { requestIdOf } from './request-id.ts';
import type { ResponseCache } from './response-cache.ts';

const { createServer } = process.getBuiltinModule('node:http');

/** The Fastify options the server needs; Fastify fills in their defaults before it calls the factory. */
interface ServerTimeouts {
  http?: ServerOptions;
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
  maxRequestsPerSocket: number;
}

/**
 * Fastify's own HTTP/1 server (the same timeouts), with the response cache answering in front of it.
 * Used as Fastify's `serverFactory`. What the kit's hooks do for Fastify's answers, it does for the cache's:
 * the request's id on the answer, and the answer in the route's metrics.
 */
export function cachedServer(cache: ResponseCache, metrics: HttpMetrics) {
  return (handler: FastifyServerFactoryHandler, options: Record<string, unknown>): Server => {
    const { http = {}, keepAliveTimeout, requestTimeout, connectionTimeout, maxRequestsPerSocket } = options as unknown as ServerTimeouts;
    const server = createServer(http, (request, response) => {
      const receivedAt = performance.now();
      const cached = cache.answerFor(request.method, request.url);
      if (cached === undefined) {
        handler(request, response);
        return;
      }
      // The request id's value is the last of the list. Filled in place, not in a copy: writeHead copies the
      // list into the response before anything else can use it. Set with setHeader instead, it would send
      // writeHead down Node's slow path, a third more CPU per answer.
      const { headers } = cached;
      headers[headers.length - 1] = requestIdOf(request);
      response.writeHead(200, headers).end(cached.body);
      metrics.observe('GET', cached.route, 200, (performance.now() - receivedAt) / 1000);
    });
    server.keepAliveTimeout = keepAliveTimeout;
    server.requestTimeout = requestTimeout;
    server.setTimeout(connectionTimeout);
    // Fastify treats zero as "Node's default" too.
    if (maxRequestsPerSocket > 0) server.maxRequestsPerSocket = maxRequestsPerSocket;
    return server;
  };
}
