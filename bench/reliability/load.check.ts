import { describe, expect, it } from 'vitest';
import { runLoad } from '../lib/load.ts';
import { expectHealthy, secondsFromEnv, services, startBundle, validPathsOf } from './support.ts';

const connections = 100;
const seconds = secondsFromEnv('RELIABILITY_LOAD_SECONDS', 30);

describe.each(services)('$name under load', (service) => {
  it(`answers every valid request with a 2xx: ${connections} connections for ${seconds} s`, async () => {
    const server = await startBundle(service);
    const paths = await validPathsOf(server);

    const result = await runLoad({ url: server.url, requests: paths.map((path) => ({ method: 'GET', path })), connections, durationSeconds: seconds });

    console.log(`${service.name}: ${result.responses} responses (${Math.round(result.requestsPerSecond)}/s) over ${paths.join(' ')}; p99 ${result.p99Ms} ms`);
    expect(result.responses).toBeGreaterThan(0);
    expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }).toEqual({ errors: 0, timeouts: 0, non2xx: 0 });
    await expectHealthy(server, paths);
  });
});
