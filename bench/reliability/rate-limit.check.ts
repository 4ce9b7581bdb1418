import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { concretePaths, fetchOpenApi, routesOf } from '../lib/openapi.ts';
import { expectHealthy, services, startBundle, validPathsOf } from './support.ts';

const perMinute = 20;
/** Twice the limit, all at once from one client. */
const burst = 2 * perMinute;
/** Loopback addresses are all this machine's: each one a client of its own to the service on 127.0.0.1. */
const burstClient = '127.0.0.2';
const otherClient = '127.0.0.3';

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

/** A GET from a given local address: a client the service tells apart from others. */
function getFrom(localAddress: string, port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path, localAddress, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const retryAfter = response.headers['retry-after'];
        resolve({ status: response.statusCode ?? 0, retryAfter, body });
      });
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe.each(services)('$name under a burst from one client', (service) => {
  it(`answers that client 429 with Retry-After and a JSON error past ${perMinute} a minute (on the GETs that document one), and serves other clients as before`, async () => {
    const server = await startBundle(service, { RATE_LIMIT_PER_MINUTE: String(perMinute) });
    // The routes it rate-limits per client are the GETs that document a 429.
    const limited = routesOf(await fetchOpenApi(server.url)).filter((route) => route.method === 'GET' && route.statuses.includes('429'));
    const healthy = await validPathsOf(server);
    if (limited.length === 0) {
      // A service whose API documents no 429 never answers one: the whole burst is served.
      const path = healthy.find((candidate) => candidate.startsWith('/api/')) ?? healthy[0] ?? '/';
      const answers = await Promise.all(Array.from({ length: burst }, () => getFrom(burstClient, server.port, path)));
      console.log(`${service.name}: no GET documents a 429; ${burst} requests at once from ${burstClient} to ${path}: ${answers.filter((answer) => answer.status === 200).length} × 200`);
      expect(answers.map((answer) => answer.status).filter((status) => status !== 200)).toEqual([]);
      return;
    }
    const candidates = limited.flatMap(concretePaths);
    // A limited path the service answers 2xx at rest (asked by the other client, whose count does not matter here).
    const path = candidates.find((candidate) => healthy.includes(candidate));
    expect(path, `a rate-limited GET among ${healthy.join(' ')}`).toBeDefined();
    if (path === undefined) return;

    const answers = await Promise.all(Array.from({ length: burst }, () => getFrom(burstClient, server.port, path)));
    const refused = answers.filter((answer) => answer.status === 429);
    console.log(`${service.name}: ${burst} requests at once from ${burstClient} to ${path}: ${answers.filter((answer) => answer.status === 200).length} × 200, ${refused.length} × 429`);

    expect(answers.filter((answer) => answer.status !== 200 && answer.status !== 429), 'statuses other than 200 and 429').toEqual([]);
    expect(answers.length - refused.length).toBe(perMinute);
    for (const answer of refused) {
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/Too many requests/) as string });
    }

    // Another client is not affected, nor are the probes for the one that was refused.
    for (let request = 0; request < perMinute; request++) expect((await getFrom(otherClient, server.port, path)).status).toBe(200);
    expect((await getFrom(burstClient, server.port, '/health')).status).toBe(200);
    await expectHealthy(server, healthy.filter((healthyPath) => !candidates.includes(healthyPath)));
  });
});
