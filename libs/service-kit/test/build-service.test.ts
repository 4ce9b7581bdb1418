import { describe, expect, it, onTestFinished } from 'vitest';
import { Writable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { buildService } from '../src/build-service.ts';
import { exampleService } from './fixtures/example-service.ts';
import { buildExample } from './helper.ts';
import { documentedStatuses, type OpenApiDocument } from '../testing/openapi.ts';

describe('buildService', () => {
  it('adds the service\'s own routes with its options', async () => {
    const app = await buildExample({ service: { greetings: 2 } });
    expect((await app.inject('/api/hello/ada')).json()).toEqual({ greeting: 'hello adahello ada' });
  });

  it('validates with the route schemas and answers 400 naming the field', async () => {
    const app = await buildExample();
    const response = await app.inject(`/api/hello/${'x'.repeat(21)}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, code: 'FST_ERR_VALIDATION', message: 'params/name must NOT have more than 20 characters' });
  });

  it('lists the accepted values when a field takes only some', async () => {
    const app = await buildExample();
    expect((await app.inject('/api/hello/ada?style=shout')).json()).toEqual({ greeting: 'HELLO ADA' });
    const response = await app.inject('/api/hello/ada?style=loud');
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toBe('querystring/style must be equal to one of the allowed values: plain, shout');
  });

  it('censors the redact paths in every log line', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done(); } });
    const app = await buildExample({ logger: { level: 'info', stream } });
    await app.inject({ url: '/api/hello/ada', headers: { authorization: 'Bearer s3cret' } });
    expect(lines.join('')).toContain('[redacted]');
    expect(lines.join('')).not.toContain('s3cret');
  });

  it('censors a secret setting wherever it appears, even inside an error message and stack', async () => {
    const lines: string[] = [];
    const stream = { write: (line: string) => lines.push(line) };
    const upstreamToken = 'tok/en+"quoted"';
    const app = await buildExample({ logger: { level: 'info', stream }, service: { upstreamToken } });
    expect((await app.inject('/api/upstream')).statusCode).toBe(500);
    const output = lines.join('');
    expect(output).toContain('token=[redacted] failed');
    for (const form of [upstreamToken, encodeURIComponent(upstreamToken), JSON.stringify(upstreamToken).slice(1, -1), 'tok/en']) {
      expect(output).not.toContain(form);
    }
  });

  it.each([
    ['/health', { status: 'ok' }],
    ['/ready', { status: 'ready' }],
    ['/api/ping', { ping: 'pong' }],
  ])('GET %s answers %j', async (url, body) => {
    const app = await buildExample();
    const response = await app.inject(url);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(body);
  });

  it('answers an unknown route with a JSON 404 naming it', async () => {
    const app = await buildExample();
    const response = await app.inject('/nope?x=1');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'No route for GET /nope' });
  });

  it('answers a wrong method with a JSON 404 naming it', async () => {
    const app = await buildExample();
    const response = await app.inject({ method: 'POST', url: '/api/ping', payload: {} });
    expect(response.statusCode).toBe(404);
    expect(response.json<{ message: string }>().message).toBe('No route for POST /api/ping');
  });

  it('answers a malformed JSON body with a 400, not a 500', async () => {
    const app = await buildExample();
    const response = await app.inject({ method: 'POST', url: '/api/ping', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });

  it('publishes an OpenAPI document built from the route schemas', async () => {
    const app = await buildExample({ version: '1.2.3' });
    const response = await app.inject('/docs/json');
    const document = response.json<{ openapi: string; info: { version: string }; paths: Record<string, unknown> }>();
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('1.2.3');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/ready', '/api/ping', '/api/hello/{name}']));
  });

  it('names in the OpenAPI document where the service listens, a wildcard host as localhost, and its license', async () => {
    const listening = (await buildExample({ listen: { host: '0.0.0.0', port: 8080 } })).swagger() as OpenApiDocument;
    expect(listening.servers).toEqual([expect.objectContaining({ url: 'http://localhost:8080' })]);
    const byDefault = (await buildExample()).swagger() as OpenApiDocument;
    expect(byDefault.servers).toEqual([expect.objectContaining({ url: `http://127.0.0.1:${exampleService.defaultPort}` })]);
    expect(byDefault.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
  });

  it('documents on every route the statuses any route can answer: 400 with input, 500, 503', async () => {
    const document = (await buildExample()).swagger() as OpenApiDocument;
    const statuses = documentedStatuses(document);
    expect(statuses['GET /health']).toEqual(['200', '500', '503']);
    expect(statuses['GET /api/hello/{name}']).toEqual(expect.arrayContaining(['200', '400', '500', '503']));
    expect(document.paths['/ready']?.get?.responses?.['503']).toMatchObject({ description: 'Shutting down or overloaded: send traffic elsewhere' });
  });

  it('serves the docs UI', async () => {
    const app = await buildExample();
    const response = await app.inject('/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
  });

  describe('a schema the JSON Schema meta-schema refuses (a description that is a number)', () => {
    const routes: FastifyPluginAsyncTypebox = async (app) => {
      app.get('/api/odd', { schema: { querystring: { type: 'object', properties: { n: { type: 'integer', description: 5 } } } } }, async () => ({}));
    };
    const odd = { ...exampleService, routes };

    it('stops the build by default, so the tests and npm start catch it', async () => {
      await expect(buildService(odd)).rejects.toThrow(/description must be string/);
    });

    it('is compiled without the check when checkSchemas is false, as in the image', async () => {
      const app = await buildService(odd, { checkSchemas: false });
      onTestFinished(() => app.close());
      expect((await app.inject('/api/odd?n=1')).statusCode).toBe(200);
    });
  });
});
