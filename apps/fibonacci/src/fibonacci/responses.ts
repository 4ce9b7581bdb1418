import { LRUCache } from 'lru-cache';
import { fibonacci } from './fast-doubling.ts';

/**
 * Serialized JSON bodies of recent answers, as bytes: Fastify writes them and the kit's response cache keeps
 * them without encoding them again. A popular n is then a map lookup instead of big-integer work plus
 * serialization, also for the requests the kit's cache does not answer (another spelling of the URL, or
 * LOG_REQUESTS on, which turns that cache off).
 */
export class FibonacciResponses {
  readonly #bodies: LRUCache<number, Buffer>;

  constructor(maxEntries = 1_000) {
    this.#bodies = new LRUCache({ max: maxEntries });
  }

  body(n: number): Buffer {
    let body = this.#bodies.get(n);
    if (body === undefined) {
      body = Buffer.from(fibonacciBody(n));
      this.#bodies.set(n, body);
    }
    return body;
  }
}

/** The JSON answer for n. Matches schemas/fibonacci.ts: values past Number.MAX_SAFE_INTEGER are strings so no digit is lost. */
export function fibonacciBody(n: number): string {
  const value = fibonacci(n);
  const json = value <= BigInt(Number.MAX_SAFE_INTEGER) ? value.toString() : `"${value.toString()}"`;
  return `{"n":${n},"value":${json}}`;
}
