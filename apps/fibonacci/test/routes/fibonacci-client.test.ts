import { documentedStatuses, generatedClient, type OpenApiDocument } from '@fastify-gitlab/service-kit/testing';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helper.ts';

/** getFibonacci called as a client's author would, through the types openapi-typescript generates into ./api.ts. */
const fibonacciClient = `
import createClient from 'openapi-fetch';
import type { paths } from './api.ts';

export async function fibonacci(baseUrl: string, n: number): Promise<number | string> {
  const { data, error } = await createClient<paths>({ baseUrl }).GET('/api/fibonacci/{n}', { params: { path: { n } } });
  if (error !== undefined) throw new Error(\`\${error.statusCode} \${error.message}\`);
  return data.value;
}
`;

describe('GET /api/fibonacci/:n in the OpenAPI document', () => {
  it('documents every status its tests see', async () => {
    const app = await buildTestApp();
    const statuses = documentedStatuses((await app.inject('/docs/json')).json<OpenApiDocument>());
    expect(statuses['GET /api/fibonacci/{n}']).toEqual(expect.arrayContaining(['200', '400', '503']));
  });

  it('is called by its generated client (openapi-typescript, openapi-fetch), which type-checks', async () => {
    // Load shedding measures the event loop's lag, which the compiler, run in this process, makes long.
    const app = await buildTestApp({ maxEventLoopDelayMs: 0 });
    const client = await generatedClient<{ fibonacci: (baseUrl: string, n: number) => Promise<number | string> }>(
      (await app.inject('/docs/json')).json<OpenApiDocument>(),
      fibonacciClient,
    );
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    expect(await client.fibonacci(baseUrl, 10)).toBe(55);
    expect(await client.fibonacci(baseUrl, 100)).toBe('354224848179261915075');
  });
});
