import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildService, type BuildOptions } from '../../src/build-service.ts';
import { ResponseCache } from '../../src/http/response-cache.ts';
import type { ServiceDefinition } from '../../src/service-definition.ts';
import { madeRequestId as uuid } from '../helper.ts';


/** How often each route really ran, so a test can tell an answer from the cache from one from the route. */
function countedService(responseCacheBytes?: () => number) {
  const runs = { cached: 0, uncached: 0 };
  const routes: FastifyPluginAsyncTypebox = async (app) => {
    app.get(
      '/api/cached/:id',
      { config: { responseCache: true }, schema: { params: Type.Object({ id: Type.Integer({ maximum: 100 }) }) } },
      async (request, reply) => {
        runs.cached++;
        if (request.params.id === 0) return reply.code(404).send({ message: 'no 0' });
        return reply.header('x-id', request.params.id).send({ id: request.params.id });
      },
    );
    app.get('/api/uncached', async () => ({ run: ++runs.uncached }));
  };
  const definition: ServiceDefinition<object> = {
    name: 'counted',
    description: 'Counts its runs.',
    defaultPort: 0,
    routes,
    defaultOptions: {},
    readOptions: () => ({}),
    responseCacheBytes,
  };
  return { definition, runs };
}

async function listening(options: BuildOptions<object> = {}, responseCacheBytes?: () => number) {
  const { definition, runs } = countedService(responseCacheBytes);
  const app = await buildService(definition, options);
  onTestFinished(() => app.close());
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const get = async (path: string, init?: RequestInit) => {
    const response = await fetch(url + path, init);
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  };
  return { get, runs };
}

describe('the response cache', () => {
  it('answers a repeat of a URL with the same status, headers and body, without running the route', async () => {
    const { get, runs } = await listening();
    const first = await get('/api/cached/7');
    const again = await get('/api/cached/7');
    expect(runs.cached).toBe(1);
    expect(first).toMatchObject({ status: 200, body: '{"id":7}' });
    // The date and the request's id are the only headers of its own an answer from the cache gets.
    const own = { date: '', 'x-request-id': '' };
    expect({ ...again.headers, ...own }).toEqual({ ...first.headers, ...own });
    expect(again.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'content-length': '8', 'x-id': '7' });
    expect(again.body).toBe(first.body);
  });

  it('keys on the whole URL: another id or query runs the route', async () => {
    const { get, runs } = await listening();
    await get('/api/cached/7');
    expect((await get('/api/cached/8')).body).toBe('{"id":8}');
    expect((await get('/api/cached/7?x=1')).body).toBe('{"id":7}');
    expect(runs.cached).toBe(3);
  });

  it('keeps no error: a 404 or a 400 runs the route (or its validation) each time', async () => {
    const { get, runs } = await listening();
    for (let i = 0; i < 2; i++) {
      expect((await get('/api/cached/0')).status).toBe(404);
      expect((await get('/api/cached/101')).status).toBe(400);
    }
    expect(runs.cached).toBe(2);
  });

  it('leaves other methods and the routes that did not opt in to Fastify', async () => {
    const { get, runs } = await listening();
    await get('/api/cached/7');
    expect((await get('/api/cached/7', { method: 'POST' })).status).toBe(404);
    expect((await get('/api/cached/7', { method: 'HEAD' })).status).toBe(200);
    expect(runs.cached).toBe(2);
    await get('/api/uncached');
    expect((await get('/api/uncached')).body).toBe('{"run":2}');
  });

  it('gives each answer its own request id: the caller\'s, or a new one, never the one of the request that filled it', async () => {
    const { get } = await listening();
    const first = await get('/api/cached/7', { headers: { 'x-request-id': 'first' } });
    const given = await get('/api/cached/7', { headers: { 'x-request-id': 'second' } });
    const made = await get('/api/cached/7');
    const malformed = await get('/api/cached/7', { headers: { 'x-request-id': 'two words' } });
    expect([first, given].map((answer) => answer.headers['x-request-id'])).toEqual(['first', 'second']);
    expect(made.headers['x-request-id']).toMatch(uuid);
    expect(malformed.headers['x-request-id']).toMatch(uuid);
    expect(malformed.headers['x-request-id']).not.toBe(made.headers['x-request-id']);
  });

  it('counts its answers in the metrics of the route they came from', async () => {
    const { get, runs } = await listening();
    for (let i = 0; i < 3; i++) await get('/api/cached/7');
    expect(runs.cached).toBe(1);
    const { body } = await get('/metrics');
    expect(body).toContain('http_request_duration_seconds_count{method="GET",route="/api/cached/:id",status_code="200"} 3');
  });

  it('holds what the service budgets for it: an answer too large for a small budget runs the route each time', async () => {
    const { get, runs } = await listening({}, () => 100);
    await get('/api/cached/7');
    await get('/api/cached/7');
    expect(runs.cached).toBe(2);
  });

  it('is off when each request is logged, since an answer from it would not be', async () => {
    const lines: string[] = [];
    const { get, runs } = await listening({ logRequests: true, logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } });
    await get('/api/cached/7');
    await get('/api/cached/7');
    expect(runs.cached).toBe(2);
    expect(lines.filter((line) => line.includes('"request completed"'))).toHaveLength(2);
  });
});

describe('ResponseCache', () => {
  it('keeps a GET answer with its headers, length and route (not the request id), and stops answering once the service closes, so Fastify can answer 503', () => {
    const cache = new ResponseCache(1024);
    cache.store('/a', '/:letter', { 'content-type': 'text/plain', 'x-n': 1, vary: ['a', 'b'], 'x-request-id': 'first', 'content-length': 99 }, 'hi');
    expect(cache.answerFor('GET', '/a')).toEqual({
      route: '/:letter',
      headers: ['content-type', 'text/plain', 'x-n', '1', 'vary', 'a', 'vary', 'b', 'content-length', '2', 'x-request-id', ''],
      body: Buffer.from('hi'),
    });
    expect(cache.answerFor('HEAD', '/a')).toBeUndefined();
    cache.stopServing();
    expect(cache.answerFor('GET', '/a')).toBeUndefined();
  });

  it('holds at most its size in bytes, dropping the least recently used', () => {
    const cache = new ResponseCache(2 * (300 + 256));
    for (const url of ['/a', '/b', '/c']) cache.store(url, url, {}, 'x'.repeat(300));
    expect(['/a', '/b', '/c'].map((url) => cache.answerFor('GET', url) !== undefined)).toEqual([false, true, true]);
  });
});
