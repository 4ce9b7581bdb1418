import { ConcurrencyLimit } from './concurrency.ts';
import type { ShapeCheck } from './shape.ts';
import { upstreamBadBody, upstreamStatus, upstreamTimeout, upstreamUnreachable } from '../weather/errors.ts';

export interface UpstreamResponse {
  status: number;
  body: unknown;
}

/**
 * JSON over HTTP from one upstream API. Every way it can fail becomes a WeatherError naming the upstream
 * and the cause; none carries the request URL, which may hold an API key.
 */
export class Upstream {
  readonly label: string;
  readonly #timeoutMs: number;
  readonly #slots: ConcurrencyLimit;

  constructor(label: string, { timeoutMs, maxConcurrent }: { timeoutMs: number; maxConcurrent: number }) {
    this.label = label;
    this.#timeoutMs = timeoutMs;
    this.#slots = new ConcurrencyLimit(maxConcurrent);
  }

  /** One deadline for a whole lookup, however many requests it takes. */
  deadline(): AbortSignal {
    return AbortSignal.timeout(this.#timeoutMs);
  }

  /**
   * The status and parsed body of any answer below 500; a 5xx, a body that is not JSON, a timeout or a lost
   * connection throw. At most UPSTREAM_MAX_CONCURRENT at once: the others wait, within the same deadline.
   */
  async getJson(url: URL, signal: AbortSignal): Promise<UpstreamResponse> {
    let status: number;
    let text: string;
    let release: (() => void) | undefined;
    try {
      release = await this.#slots.acquire(signal);
      const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw upstreamTimeout(this.label, this.#timeoutMs);
      throw upstreamUnreachable(this.label, error);
    } finally {
      release?.();
    }
    if (status >= 500) throw upstreamStatus(this.label, status);
    try {
      return { status, body: JSON.parse(text) as unknown };
    } catch {
      throw upstreamBadBody(this.label, 'a body that is not JSON');
    }
  }

  /** The body, typed, if it has the documented shape; otherwise a 502 naming the first field that differs. */
  expectShape<T>(shape: ShapeCheck<T>, body: unknown): T {
    if (shape.Check(body)) return body;
    const [first] = shape.Errors(body);
    const where = first ? `${first.instancePath === '' ? 'the body' : first.instancePath} ${first.message}` : 'unknown difference';
    throw upstreamBadBody(this.label, `an unexpected shape (${where})`);
  }
}
