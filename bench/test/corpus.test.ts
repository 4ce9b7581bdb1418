import { describe, expect, it } from 'vitest';
import { badInputCorpus } from '../lib/corpus.ts';
import type { OpenApiDocument } from '../lib/openapi.ts';

const fibonacciLike: OpenApiDocument = {
  paths: {
    '/health': { get: {} },
    '/ready': { get: {} },
    '/api/ping': { get: {} },
    '/api/fibonacci/{n}': { get: { parameters: [{ name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 0, maximum: 10000 } }] } },
  },
};

describe('badInputCorpus', () => {
  const corpus = badInputCorpus(fibonacciLike);

  it('has at least a thousand requests for a service of four routes', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1000);
  });

  it('is the same on every run, so a failure can be replayed', () => {
    expect(badInputCorpus(fibonacciLike).map((request) => request.bytes.toString('base64'))).toEqual(corpus.map((request) => request.bytes.toString('base64')));
  });

  it('names every request', () => {
    expect(corpus.every((request) => request.name.length > 0 && request.name.length < 200)).toBe(true);
  });

  it('covers each kind of bad input', () => {
    const names = corpus.map((request) => request.name);
    expect(names).toContain('GET /api/fibonacci/{n} with n=-1');
    expect(names).toContain('DELETE /api/ping');
    expect(names.some((name) => name.startsWith('GET /health?__proto__'))).toBe(true);
    expect(names.some((name) => name.includes('X-Big'))).toBe(true);
    expect(names.some((name) => name.includes('Content-Encoding: gzip'))).toBe(true);
    expect(names).toContain('Content-Length and Transfer-Encoding');
  });

  it('sends Host and Connection: close unless the request is about them', () => {
    const get = corpus.find((request) => request.name === 'DELETE /api/ping');
    expect(get?.bytes.toString()).toBe('DELETE /api/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  });

  it('gives a body its Content-Length', () => {
    const post = corpus.find((request) => request.name.startsWith('POST /api/ping with Content-Type: text/plain'));
    expect(post?.bytes.toString()).toBe('POST /api/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello');
  });

  it('expects no answer only for requests that never finish arriving', () => {
    expect(corpus.filter((request) => !request.expectsResponse).map((request) => request.name)).toEqual(['body shorter than Content-Length', 'headers that never end']);
  });
});
