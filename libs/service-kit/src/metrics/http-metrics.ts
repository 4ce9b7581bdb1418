import { collectDefaultMetrics, Registry, type Histogram } from 'prom-client';
import { DurationHistogram } from './duration-histogram.ts';

/**
 * The route label of a request no route matched (method and URL): the raw URL would give one series per URL
 * anyone tries. Every route template starts with a slash, so this one is never a route's.
 */
export const unmatchedRoute = 'unmatched';

/**
 * From a cached answer (well under a millisecond) to a slow upstream call (seconds): prom-client's default
 * buckets with one below a millisecond added, where most of these services' answers fall.
 */
const durationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * What one app answered, per route, in the Prometheus format: one histogram gives the request rate
 * (`_count`), the errors (`status_code` 5xx) and the duration, labelled by the route's template, not its URL,
 * so the number of series stays bounded. Each app has its own registry: tests build many apps in one process.
 */
export class HttpMetrics {
  readonly #registry = new Registry();
  readonly #process = processMetrics();
  readonly #durations = new DurationHistogram(
    'http_request_duration_seconds',
    'Time from receiving a request to sending its answer, by method, route template and status code',
    durationBuckets,
  );

  readonly contentType = this.#registry.contentType;

  constructor() {
    // prom-client renders any metric that gives its values through `get()`, as DurationHistogram does.
    this.#registry.registerMetric(this.#durations as unknown as Histogram);
  }

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    this.#durations.observe(method, route, statusCode, seconds);
  }

  /** This app's series, then the process's (CPU, memory, event loop, GC), in the text exposition format. */
  async render(): Promise<string> {
    return Registry.merge([this.#registry, this.#process]).metrics();
  }
}

let processRegistry: Registry | undefined;

/**
 * prom-client's default metrics, collected once per process, however many apps it builds: they describe the
 * process, and each collection keeps a GC observer and an event-loop monitor running for good. Begun with
 * the first app, not at the first scrape: prom-client counts CPU time from the moment they begin.
 */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
