import { describe, expect, it } from 'vitest';
import { buildTestApp } from './helper.ts';

describe('the routes every service has', () => {
  it.each([
    ['/health', { status: 'ok' }],
    ['/ready', { status: 'ready' }],
    ['/api/ping', { ping: 'pong' }],
  ])('GET %s answers %j', async (url, body) => {
    const app = await buildTestApp();
    const response = await app.inject(url);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(body);
  });

  it('answers an unknown route with a JSON 404 naming it', async () => {
    const app = await buildTestApp();
    const response = await app.inject('/nope?x=1');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'No route for GET /nope' });
  });

  it('answers a wrong method with a JSON 404 naming it', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'POST', url: '/api/ping', payload: {} });
    expect(response.statusCode).toBe(404);
    expect(response.json<{ message: string }>().message).toBe('No route for POST /api/ping');
  });

  it('answers a malformed JSON body with a 400, not a 500', async () => {
    const app = await buildTestApp();
    const response = await app.inject({ method: 'POST', url: '/api/ping', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });

  it('publishes an OpenAPI document built from the route schemas', async () => {
    const app = await buildTestApp({ version: '1.2.3' });
    const response = await app.inject('/docs/json');
    const document = response.json<{ openapi: string; info: { version: string }; paths: Record<string, unknown> }>();
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('1.2.3');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/ready', '/api/ping']));
  });

  it('serves the docs UI', async () => {
    const app = await buildTestApp();
    const response = await app.inject('/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
  });
});
