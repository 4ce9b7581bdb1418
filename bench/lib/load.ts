import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  /** Requests each connection sends in turn; defaults to GET of the url. */
  requests?: autocannon.Request[];
  connections: number;
  durationSeconds: number;
  pipelining?: number;
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

/** One autocannon run on loopback, bounded by its duration. */
export async function runLoad({ url, requests, connections, durationSeconds, pipelining = 1 }: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({ url, requests, connections, duration: durationSeconds, pipelining, timeout: 10 });
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
