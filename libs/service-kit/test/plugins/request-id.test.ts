import { describe, expect, it } from 'vitest';
import { buildExample, madeRequestId as uuid } from '../helper.ts';


/** The example service with its log lines kept, parsed. */
async function buildLogged(logRequests: boolean) {
  const lines: string[] = [];
  const app = await buildExample({ logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } }, logRequests });
  const logged = () => lines.map((line) => JSON.parse(line) as { msg: string; reqId?: string });
  return { app, logged };
}

describe('x-request-id', () => {
  it('echoes the caller\'s id', async () => {
    const app = await buildExample();
    const response = await app.inject({ url: '/api/hello/ada', headers: { 'x-request-id': 'caller-42' } });
    expect(response.headers['x-request-id']).toBe('caller-42');
  });

  it('makes a new one for each request that comes without', async () => {
    const app = await buildExample();
    const ids = await Promise.all([1, 2].map(async () => (await app.inject('/api/hello/ada')).headers['x-request-id']));
    expect(ids).toEqual([expect.stringMatching(uuid), expect.stringMatching(uuid)]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('replaces a malformed one instead of passing it on', async () => {
    const app = await buildExample();
    const response = await app.inject({ url: '/api/hello/ada', headers: { 'x-request-id': `${'x'.repeat(200)}"` } });
    expect(response.headers['x-request-id']).toMatch(uuid);
  });

  it.each([
    ['a 400', `/api/hello/${'x'.repeat(21)}`, 400],
    ['a 404', '/nope', 404],
    ['a 500', '/api/upstream', 500],
    ['the metrics', '/metrics', 200],
  ])('is on %s too', async (_what, url, status) => {
    const app = await buildExample();
    const response = await app.inject({ url, headers: { 'x-request-id': 'caller-42' } });
    expect(response.statusCode).toBe(status);
    expect(response.headers['x-request-id']).toBe('caller-42');
  });

  it.each([false, true])('is on every log line of the request (each request logged: %s)', async (logRequests) => {
    const { app, logged } = await buildLogged(logRequests);
    await app.inject({ url: '/api/hello/ada', headers: { 'x-request-id': 'caller-42' } });
    await app.inject({ url: '/api/upstream', headers: { 'x-request-id': 'caller-43' } });
    const lines = logged().filter((line) => line.reqId !== undefined);
    expect(lines.map((line) => [line.reqId, line.msg])).toEqual(
      logRequests
        ? [['caller-42', 'incoming request'], ['caller-42', 'greeting'], ['caller-42', 'request completed'], ['caller-43', 'incoming request'], ['caller-43', 'request failed'], ['caller-43', 'request completed']]
        : [['caller-42', 'greeting'], ['caller-43', 'request failed']],
    );
  });

  it('logs the id it made, the one the answer carries', async () => {
    const { app, logged } = await buildLogged(false);
    const response = await app.inject('/api/hello/ada');
    expect(logged().find((line) => line.msg === 'greeting')?.reqId).toBe(response.headers['x-request-id']);
  });
});
