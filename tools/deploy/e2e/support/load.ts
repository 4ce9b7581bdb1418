import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  /** Answers other than 2xx, by status. */
  non2xx: Record<number, number>;
  /** Requests that got no answer at all: resets, refused connections, timeouts. */
  errors: string[];
  /** Which color answered how often (nginx's X-Deploy-Color header). */
  byColor: Record<string, number>;
}

export interface LoadOptions {
  connections: number;
  /** The load stops by itself after this long, even if nobody calls stop(). */
  maxDurationMs: number;
}

/**
 * Continuous keep-alive load on one URL on loopback: `connections` clients each sending one request as
 * soon as the previous answer arrived, the way a busy site's visitors reuse their connections. No retry:
 * a request that fails counts as failed. Call stop() to end it; it always ends after maxDurationMs.
 */
export function startLoad(url: string, { connections, maxDurationMs }: LoadOptions) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const result: LoadResult = { requests: 0, non2xx: {}, errors: [], byColor: {} };
  const deadline = Date.now() + maxDurationMs;
  let stopped = false;

  const once = () =>
    new Promise<void>((resolve) => {
      const req = request(url, { agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => {
          result.requests++;
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) result.non2xx[status] = (result.non2xx[status] ?? 0) + 1;
          const color = String(res.headers['x-deploy-color'] ?? 'none');
          result.byColor[color] = (result.byColor[color] ?? 0) + 1;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timed out after 10 s')));
      req.on('error', (error) => {
        result.requests++;
        result.errors.push(error.message);
        resolve();
      });
      req.end();
    });

  const client = async () => {
    while (!stopped && Date.now() < deadline) await once();
  };
  const clients = Promise.all(Array.from({ length: connections }, client));

  return {
    /** Ends the load and returns what it saw. */
    stop: async (): Promise<LoadResult> => {
      stopped = true;
      await clients;
      agent.destroy();
      return result;
    },
  };
}
