import request from 'supertest';
import { describe, it } from 'vitest';
import { buildTestApp } from './helper.ts';

describe('over a real socket', () => {
  it('answers fib(8) = 21 and keeps the connection reusable', async () => {
    const app = await buildTestApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const agent = request.agent(app.server);
    await agent.get('/api/fibonacci/8').expect(200).expect('content-type', /json/).expect({ n: 8, value: 21 });
    await agent.get('/api/fibonacci/abc').expect(400).expect('content-type', /json/);
  });
});
