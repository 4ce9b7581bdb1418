import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header a caller may send to correlate its logs with ours; every answer carries it back. */
export const requestIdHeader = 'x-request-id';

/**
 * A caller's id is kept only when it is short and plain: it goes into every log line of the request and back
 * into a response header, so anything else (an overlong value, spaces, quotes, control characters) is replaced.
 * Covers UUIDs, ULIDs, hex trace ids and the ids proxies such as nginx and Envoy make.
 */
const saneRequestId = /^[\w.:-]{1,128}$/;

/** The caller's request id when it is sane, else a new one: Fastify's `genReqId`, and the cached answers' id. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[requestIdHeader];
  return typeof given === 'string' && saneRequestId.test(given) ? given : randomUUID();
}
