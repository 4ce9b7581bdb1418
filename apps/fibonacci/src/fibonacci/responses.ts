import { LRUCache } from 'lru-cache';
import { fibonacci } from './fast-doubling.ts';

/**
 * Serialized JSON bodies of recent answers. A popular n is then a map lookup instead of big-integer
 * work plus serialization, which is what keeps this service near the speed of a bare node:http server.
 */
export class FibonacciResponses {
  readonly #bodies: LRUCache<number, string>;

  constructor(maxEntries = 1_000) {
    this.#bodies = new LRUCache({ max: maxEntries });
  }

  body(n: number): string {
    let body = this.#bodies.get(n);
    if (body === undefined) {
      body = render(n, fibonacci(n));
      this.#bodies.set(n, body);
    }
    return body;
  }
}

/** Matches schemas/fibonacci.ts: values past Number.MAX_SAFE_INTEGER are strings so no digit is lost. */
function render(n: number, value: bigint): string {
  const json = value <= BigInt(Number.MAX_SAFE_INTEGER) ? value.toString() : `"${value.toString()}"`;
  return `{"n":${n},"value":${json}}`;
}
