import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildService, type BuildOptions } from '../../src/build-service.ts';
import { rateLimited, rateLimitedResponses } from '../../src/plugins/rate-limit.ts';
import { exampleService, type ExampleOptions } from '../fixtures/example-service.ts';

const routes: FastifyPluginAsyncTypebox<ExampleOptions> = async (app) => {
  app.get('/api/costly', { config: rateLimited, schema: { response: { 200: { type: 'object' }, ...rateLimitedResponses } } }, async () => ({}));
};

async function build(options: BuildOptions<ExampleOptions>) {
  const app = await buildService({ ...exampleService, routes }, options);
  onTestFinished(() => app.close());
  return app;
}

const from = (remoteAddress: string, headers: Record<string, string> = {}) => ({ url: '/api/costly', remoteAddress, headers });

describe('rate limiting', () => {
  it('answers a client past its limit 429 with Retry-After and a JSON error, and no one else', async () => {
    const app = await build({ rateLimitPerMinute: 2 });
    for (let request = 0; request < 2; request++) expect((await app.inject(from('192.0.2.1'))).statusCode).toBe(200);

    const refused = await app.inject(from('192.0.2.1'));
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(refused.json<{ message: string }>().message).toContain(`retry in ${retryAfter} s`);
    expect(refused.json()).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      error: 'Too Many Requests',
      message: expect.stringMatching(/^Too many requests from this client: at most 2 a minute; retry in \d+ s$/) as string,
    });

    expect((await app.inject(from('192.0.2.2'))).statusCode).toBe(200);
    // Routes that do not opt in are not counted or limited.
    expect((await app.inject({ url: '/api/ping', remoteAddress: '192.0.2.1' })).statusCode).toBe(200);
  });

  it('is off when the limit is 0, as buildService has it unless told', async () => {
    const app = await build({});
    for (let request = 0; request < 100; request++) expect((await app.inject(from('192.0.2.1'))).statusCode).toBe(200);
  });

  it('tells clients apart behind a trusted proxy by X-Forwarded-For, and believes no one else\'s', async () => {
    const app = await build({ rateLimitPerMinute: 1, trustProxy: 'loopback' });
    expect((await app.inject(from('127.0.0.1', { 'x-forwarded-for': '198.51.100.1' }))).statusCode).toBe(200);
    expect((await app.inject(from('127.0.0.1', { 'x-forwarded-for': '198.51.100.2' }))).statusCode).toBe(200);
    expect((await app.inject(from('127.0.0.1', { 'x-forwarded-for': '198.51.100.1' }))).statusCode).toBe(429);
    // A client that is not the proxy cannot pick a new address for each request.
    expect((await app.inject(from('192.0.2.9', { 'x-forwarded-for': '198.51.100.3' }))).statusCode).toBe(200);
    expect((await app.inject(from('192.0.2.9', { 'x-forwarded-for': '198.51.100.4' }))).statusCode).toBe(429);
    // Whatever the proxy passes on, as the reliability corpus sends it, is a key like any other.
    expect((await app.inject(from('127.0.0.1', { 'x-forwarded-for': `1.2.3.4, ${'x'.repeat(4000)}` }))).statusCode).toBe(200);
  });

  it('with a number of proxies in front (TRUST_PROXY=1), believes the entry the nearest one added, whoever connects', async () => {
    const app = await build({ rateLimitPerMinute: 1, trustProxy: 1 });
    expect((await app.inject(from('192.0.2.20', { 'x-forwarded-for': '198.51.100.9, 198.51.100.1' }))).statusCode).toBe(200);
    // Only the rightmost entry counts: what a client puts before it cannot make it someone new.
    expect((await app.inject(from('192.0.2.21', { 'x-forwarded-for': '203.0.113.5, 198.51.100.1' }))).statusCode).toBe(429);
    expect((await app.inject(from('192.0.2.20', { 'x-forwarded-for': '198.51.100.2' }))).statusCode).toBe(200);
  });
});
