import underPressure from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody } from '../schemas/errors.ts';

type PressureHandler = (request: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => void;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** @fastify/under-pressure calls this instead of its own handler for this route. */
    pressureHandler?: PressureHandler;
  }
}

export interface OverloadOptions {
  /** Shed load while the event loop lags more than this (mean over a sample); 0 turns shedding off. */
  maxEventLoopDelayMs: number;
  /** How often the lag is sampled; tests shorten it. */
  sampleIntervalMs?: number;
}

/**
 * Long enough for the backlog behind the lag to drain (a few samples), short enough that a client
 * that honours it is not kept away for long.
 */
export const retryAfterSeconds = 5;

/** Route config for probes that must answer even while the service sheds load (liveness). */
export const servedUnderPressure = { pressureHandler: () => undefined } satisfies { pressureHandler: PressureHandler };

/**
 * Overload protection: while the event loop lags, answer 503 with Retry-After at once instead of
 * queueing more work until the process falls over. One warning a second at most, not one per request,
 * so logging does not add to the load.
 */
export default fp<OverloadOptions>(async (app, { maxEventLoopDelayMs, sampleIntervalMs = 1000 }) => {
  let lastWarningAt = 0;
  // The samples taken while the app starts measure start-up (schema compilation, docs), not load: on a busy
  // host they alone exceed the limit, and a fresh instance would answer 503 to its first requests.
  let measuringStartUpUntil = Number.POSITIVE_INFINITY;
  app.addHook('onReady', async () => {
    measuringStartUpUntil = Date.now() + 2 * sampleIntervalMs;
  });
  await app.register(underPressure, {
    maxEventLoopDelay: maxEventLoopDelayMs,
    sampleInterval: sampleIntervalMs,
    pressureHandler: (request, reply, type, value) => {
      const now = Date.now();
      if (now < measuringStartUpUntil) return;
      if (now - lastWarningAt >= 1000) {
        lastWarningAt = now;
        request.log.warn({ type, value, limit: maxEventLoopDelayMs }, 'overloaded: answering 503 until the event loop catches up');
      }
      const message = `The service is overloaded; retry in ${retryAfterSeconds} s`;
      void reply.code(503).header('retry-after', retryAfterSeconds).send(errorBody(503, message, 'FST_UNDER_PRESSURE'));
    },
  });
}, { name: 'overload' });
