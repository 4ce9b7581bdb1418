import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helper.ts';

/** fib(n) the slow, obvious way, to check the fast one against. */
function iterativeFibonacci(n: number): bigint {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

describe('GET /api/fibonacci/:n', () => {
  it.each([
    [0, 0],
    [1, 1],
    [2, 1],
    [8, 21],
    [30, 832_040],
    [78, 8_944_394_323_791_464],
  ])('answers fib(%i) = %i as a JSON number', async (n, value) => {
    const app = await buildTestApp();
    const response = await app.inject(`/api/fibonacci/${n}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual({ n, value });
  });

  it.each([
    [79, '14472334024676221'],
    [93, '12200160415121876738'],
    [100, '354224848179261915075'],
  ])('answers fib(%i) past 2^53 as an exact decimal string', async (n, value) => {
    const app = await buildTestApp();
    const response = await app.inject(`/api/fibonacci/${n}`);
    expect(response.body).toBe(`{"n":${n},"value":"${value}"}`);
  });

  it('is exact at the default maximum, 10 000', async () => {
    const app = await buildTestApp();
    const response = await app.inject('/api/fibonacci/10000');
    const { value } = response.json<{ value: string }>();
    expect(value).toHaveLength(2090);
    expect(value).toBe(iterativeFibonacci(10_000).toString());
  });

  it('answers the same body when asked again (served from its cache)', async () => {
    const app = await buildTestApp();
    const first = await app.inject('/api/fibonacci/500');
    const second = await app.inject('/api/fibonacci/500');
    expect(second.body).toBe(first.body);
    expect(first.json<{ value: string }>().value).toBe(iterativeFibonacci(500).toString());
  });

  it.each([
    ['-1', 'decimal digits'],
    ['abc', 'decimal digits'],
    ['1.5', 'decimal digits'],
    ['1e9', 'decimal digits'],
    ['0x10', 'decimal digits'],
    ['%208', 'decimal digits'],
    ['99999999999999999999', 'must be <= 10000'],
    ['10001', 'must be <= 10000'],
  ])('refuses n = %s with a 400 that says why', async (n, reason) => {
    const app = await buildTestApp();
    const response = await app.inject(`/api/fibonacci/${n}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.json<{ message: string }>().message).toContain(reason);
  });

  it('takes its maximum from the options (FIB_MAX_N)', async () => {
    const app = await buildTestApp({ service: { maxN: 50 } });
    expect((await app.inject('/api/fibonacci/50')).statusCode).toBe(200);
    const tooLarge = await app.inject('/api/fibonacci/51');
    expect(tooLarge.statusCode).toBe(400);
    expect(tooLarge.json<{ message: string }>().message).toContain('must be <= 50');
  });

  it('answers a wrong method with a 404 that names method and path', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'DELETE', url: '/api/fibonacci/8' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'No route for DELETE /api/fibonacci/8' });
  });
});
