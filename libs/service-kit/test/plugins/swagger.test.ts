import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import errors from '../../src/plugins/errors.ts';
import swagger from '../../src/plugins/swagger.ts';
import { documentedStatuses, type OpenApiDocument } from '../../testing/openapi.ts';

describe('the swagger plugin', () => {
  it('documents the shared statuses on a route declared without a schema, and an IPv6 wildcard host as localhost', async () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    await app.register(errors);
    await app.register(swagger, { title: 'bare', description: 'A route without a schema.', version: '1.0.0', listen: { host: '::', port: 3999 } });
    app.get('/bare', async () => 'bare');
    await app.ready();
    const document = app.swagger() as OpenApiDocument;
    expect(documentedStatuses(document)).toEqual({ 'GET /bare': ['500', '503'] });
    expect(document.servers).toEqual([expect.objectContaining({ url: 'http://localhost:3999' })]);
  });
});
