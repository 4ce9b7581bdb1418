import { LRUCache } from 'lru-cache';
import { requestIdHeader } from './request-id.ts';

export interface CachedResponse {
  /** The template of the route that answered, such as `/api/fibonacci/:n`: the label of its metrics. */
  route: string;
  /**
   * Names and values in turn, as `writeHead` takes them. The last pair is the request id's, its value left
   * empty: each answer has its own (see http/cached-server.ts).
   */
  headers: string[];
  body: Buffer;
}

/** Room for the headers of an entry, beside its body, in the cache's byte budget. */
export const entryOverheadBytes = 256;

/**
 * Whole 200 answers of the routes that opt in (`config: { responseCache: true }`): GETs whose answer
 * depends on the URL alone and never changes. A repeat is written to the socket before Fastify sees it,
 * without routing, hooks, validation or serialization: that is what keeps such a route near the speed of
 * a bare node:http server. Bounded in bytes; the least recently used answers go first.
 */
export class ResponseCache {
  readonly #entries: LRUCache<string, CachedResponse>;
  #serving = true;

  constructor(maxBytes: number) {
    this.#entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (entry) => entry.body.length + entryOverheadBytes });
  }

  /** The kept 200 answer for this request, if any; without one the request goes to Fastify. */
  answerFor(method: string | undefined, url: string | undefined): CachedResponse | undefined {
    if (!this.#serving || method !== 'GET' || url === undefined) return undefined;
    return this.#entries.get(url);
  }

  store(url: string, route: string, headers: Record<string, string | number | string[] | undefined>, payload: string | Buffer): void {
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const kept: string[] = [];
    for (const [name, value] of Object.entries(headers)) {
      // Never the id of the request that filled the cache.
      if (value === undefined || name === 'content-length' || name === requestIdHeader) continue;
      for (const one of Array.isArray(value) ? value : [value]) kept.push(name, String(one));
    }
    kept.push('content-length', String(body.length), requestIdHeader, '');
    this.#entries.set(url, { route, headers: kept, body });
  }

  /** Every request goes to Fastify from now on, so one that arrives while the service closes gets its 503. */
  stopServing(): void {
    this.#serving = false;
  }
}
