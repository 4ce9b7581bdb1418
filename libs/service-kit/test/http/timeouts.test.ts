import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildService, defaultBodyLimitBytes } from '../../src/build-service.ts';
import { exampleService } from '../fixtures/example-service.ts';
import { buildExample } from '../helper.ts';

const requestTimeoutMs = 300;

/** Sends the start of a request and then nothing: resolves to what the server wrote and how long it kept the connection. */
async function sendAndStall(port: number, head: string) {
  const socket = connect(port, '127.0.0.1');
  const startedAt = performance.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.write(head);
  await once(socket, 'close');
  return { received, heldMs: performance.now() - startedAt };
}

describe.each([
  ['with the response cache in front', {}],
  ['with request logging (Fastify\'s own server)', { logRequests: true }],
])('a client that stops sending, %s', (_name, options) => {
  it.each([
    ['in the middle of its headers', 'GET /api/ping HTTP/1.1\r\nHost: x\r\nX-Slow: '],
    ['in the middle of its body', 'POST /api/ping HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nabc'],
  ])('%s is answered 408 and cut off at REQUEST_TIMEOUT_MS, while others are served', async (_where, head) => {
    const app = await buildExample({ ...options, requestTimeoutMs });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;

    const stalled = sendAndStall(port, head);
    expect((await fetch(`http://127.0.0.1:${port}/api/ping`)).status).toBe(200);
    const { received, heldMs } = await stalled;

    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(heldMs).toBeGreaterThanOrEqual(requestTimeoutMs - 5);
  });
});

describe('the body limit', () => {
  const routes: FastifyPluginAsyncTypebox = async (app) => {
    app.post('/api/echo', async (request) => ({ length: String(request.body).length }));
    app.post('/api/form', { bodyLimit: 4 * defaultBodyLimitBytes }, async (request) => ({ length: String(request.body).length }));
  };
  const post = (url: string, bytes: number) => ({ method: 'POST' as const, url, headers: { 'content-type': 'text/plain' }, payload: 'x'.repeat(bytes) });

  it('is small unless a route sets its own, and a body over it is answered with a JSON 413', async () => {
    const app = await buildService({ ...exampleService, routes });
    onTestFinished(() => app.close());
    expect((await app.inject(post('/api/echo', defaultBodyLimitBytes))).json()).toEqual({ length: defaultBodyLimitBytes });
    const response = await app.inject(post('/api/echo', defaultBodyLimitBytes + 1));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect((await app.inject(post('/api/form', 2 * defaultBodyLimitBytes))).statusCode).toBe(200);
  });
});
