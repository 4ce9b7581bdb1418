import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from './helper.ts';

describe('over a real socket', () => {
  it('answers fib(8) = 21 and keeps the connection reusable', async () => {
    const app = await buildTestApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const agent = request.agent(app.server);
    await agent.get('/api/fibonacci/8').expect(200).expect('content-type', /json/).expect({ n: 8, value: 21 });
    await agent.get('/api/fibonacci/abc').expect(400).expect('content-type', /json/);
  });

  it('counts the answers from its response cache in the route\'s metrics, each with its own request id', async () => {
    const app = await buildTestApp();
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const ids: (string | null)[] = [];
    for (let i = 0; i < 3; i++) ids.push((await fetch(`${url}/api/fibonacci/8`, { headers: { 'x-request-id': `caller-${String(i)}` } })).headers.get('x-request-id'));
    expect(ids).toEqual(['caller-0', 'caller-1', 'caller-2']);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds_count{method="GET",route="/api/fibonacci/:n",status_code="200"} 3');
  });
});
