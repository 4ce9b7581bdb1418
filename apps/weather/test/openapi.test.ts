import { documentProblems, pingThroughGeneratedClient, type OpenApiDocument } from '@fastify-gitlab/service-kit/testing';
import { describe, expect, it } from 'vitest';
import { service } from '../src/service.ts';
import { buildTestApp } from './helper.ts';

async function openApiDocument() {
  // Load shedding measures the event loop's lag, which the compiler, run in this process, makes long.
  const app = await buildTestApp({ maxEventLoopDelayMs: 0 });
  return { app, document: (await app.inject('/docs/json')).json<OpenApiDocument>() };
}

describe('the OpenAPI document (/docs/json)', () => {
  it('names every operation once and documents what every route can answer, where the service is and its license', async () => {
    const { document } = await openApiDocument();
    expect(documentProblems(document)).toEqual([]);
    expect(document.servers).toEqual([expect.objectContaining({ url: `http://127.0.0.1:${service.defaultPort}` })]);
    expect(document.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
  });

  it('makes a client (openapi-typescript, openapi-fetch) that type-checks and calls the service', async () => {
    const { app, document } = await openApiDocument();
    expect(await pingThroughGeneratedClient(document, await app.listen({ host: '127.0.0.1', port: 0 }))).toBe('pong');
  });
});
