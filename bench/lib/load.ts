import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  /** Requests each connection sends in turn; defaults to GET of the url. */
  requests?: autocannon.Request[];
  connections: number;
  durationSeconds: number;
  pipelining?: number;
  /** Ends the run early when aborted; the result covers what was sent until then. */
  signal?: AbortSignal;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses received, whatever their status. */
  responses: number;
  /** Connection errors and timeouts: requests that got no response at all. */
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCounts: Record<string, number>;
}

/** One autocannon run on loopback, bounded by its duration (or ended early through `signal`). */
export async function runLoad({ url, requests, connections, durationSeconds, pipelining = 1, signal }: LoadOptions): Promise<LoadResult> {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, requests, connections, duration: durationSeconds, pipelining, timeout: 10 }, (error, finished) => {
      signal?.removeEventListener('abort', stop);
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(finished);
    });
    const stop = () => {
      instance.stop();
    };
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
  const statusCounts = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count ?? 0]));
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    responses: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCounts,
  };
}
