import { describe, expect, it } from 'vitest';
import { validGetPaths, type OpenApiDocument } from '../lib/openapi.ts';

const document: OpenApiDocument = {
  paths: {
    '/health': { get: {} },
    '/api/fibonacci/{n}': { get: { parameters: [{ name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 0, maximum: 10000 } }] } },
    '/api/weather': { get: { parameters: [{ name: 'city', in: 'query', required: true, schema: { type: 'string', examples: ['London'] } }] } },
    '/api/items/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 3 } }] }, delete: {} },
    '/api/search': { get: { parameters: [{ name: 'q', in: 'query', schema: { type: 'string' }, examples: { cats: { value: 'cats' }, dogs: { value: 'dogs' } } }] } },
    '/api/near': { get: { parameters: [{ name: 'place', in: 'query', schema: { type: 'string' }, example: 'Paris' }] } },
    '/api/form': { post: {} },
  },
};

describe('validGetPaths', () => {
  it('fills path parameters with the bounds and examples their schemas give', () => {
    expect(validGetPaths(document)).toContain('/api/fibonacci/0');
    expect(validGetPaths(document)).toContain('/api/fibonacci/10000');
  });

  it('adds required query parameters, encoded', () => {
    expect(validGetPaths(document)).toContain('/api/weather?city=London');
  });

  it('makes up a value that meets a string schema without examples', () => {
    expect(validGetPaths(document)).toContain('/api/items/xxx');
  });

  it('adds each example of an optional query parameter (as @fastify/swagger writes them), and also leaves it out', () => {
    expect(validGetPaths(document)).toEqual(expect.arrayContaining(['/api/search', '/api/search?q=cats', '/api/search?q=dogs']));
  });

  it('lists GETs only', () => {
    expect(validGetPaths(document)).toEqual([
      '/health',
      '/api/fibonacci/0',
      '/api/fibonacci/10000',
      '/api/weather?city=London',
      '/api/items/xxx',
      '/api/search',
      '/api/search?q=cats',
      '/api/search?q=dogs',
      '/api/near',
      '/api/near?place=Paris',
    ]);
  });
});
