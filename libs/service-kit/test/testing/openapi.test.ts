import { describe, expect, it } from 'vitest';
import { documentProblems, generatedClient, pingThroughGeneratedClient, type OpenApiDocument } from '../../testing/openapi.ts';
import { buildExample } from '../helper.ts';

const example = async () => (await buildExample()).swagger() as OpenApiDocument;

describe('documentProblems', () => {
  it('finds none in a service built by the kit', async () => {
    expect(documentProblems(await example())).toEqual([]);
  });

  it('names an operation without an operationId, one that repeats another, a missing shared status, servers and license', () => {
    const document: OpenApiDocument = {
      info: {},
      paths: {
        '/a': { get: { responses: { 200: {}, 500: {}, 503: {} } } },
        '/b': { get: { operationId: 'getB', parameters: [{}], responses: { 200: {}, 500: {}, 503: {} } } },
        '/c': { post: { operationId: 'getB', responses: { 200: {}, 500: {} } } },
      },
    };
    expect(documentProblems(document)).toEqual([
      'GET /a has no operationId',
      'GET /b does not document 400',
      'POST /c repeats the operationId getB',
      'POST /c does not document 503',
      'no servers',
      'no license',
    ]);
  });
});

describe('generatedClient', () => {
  it('refuses a client that reads what the document does not have, with the compiler messages', async () => {
    const script = `
import createClient from 'openapi-fetch';
import type { paths } from './api.ts';
export const call = async (baseUrl: string) => (await createClient<paths>({ baseUrl }).GET('/api/ping')).data?.pong;
`;
    await expect(generatedClient(await example(), script)).rejects.toThrow(/^the client does not type-check:\nclient\.ts\(\d+,\d+\): error TS2339: Property 'pong' does not exist/);
  });
});

describe('pingThroughGeneratedClient', () => {
  it("calls the kit's ping route of a listening service through the client its document makes", async () => {
    // Load shedding measures the event loop's lag, which the compiler, run in this process, makes long.
    const app = await buildExample({ maxEventLoopDelayMs: 0 });
    const document = app.swagger() as OpenApiDocument;
    expect(await pingThroughGeneratedClient(document, await app.listen({ host: '127.0.0.1', port: 0 }))).toBe('pong');
  });
});
