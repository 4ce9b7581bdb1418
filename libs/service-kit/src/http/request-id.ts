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
  const given = callersRequestId(request.rawHeaders);
  return given !== undefined && saneRequestId.test(given) ? given : randomUUID();
}

/**
 * Read from the raw headers: Node builds `request.headers` on first use, and an answer from the response cache
 * needs no other header. One sent twice is no id: Node would join the two into one value.
 */
function callersRequestId(rawHeaders: string[]): string | undefined {
  let found: string | undefined;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] ?? '';
    if (name.length !== requestIdHeader.length || name.toLowerCase() !== requestIdHeader) continue;
    if (found !== undefined) return undefined;
    found = rawHeaders[index + 1];
  }
  return found;
}
