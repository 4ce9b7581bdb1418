import { documentedStatuses, generatedClient, type OpenApiDocument } from '@fastify-gitlab/service-kit/testing';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../helper.ts';
import { buildWithUpstream } from '../upstream-helper.ts';

/** getWeather called as a client's author would, through the types openapi-typescript generates into ./api.ts. */
const weatherClient = `
import createClient from 'openapi-fetch';
import type { paths } from './api.ts';

export async function placeOf(baseUrl: string, city: string): Promise<string> {
  const { data, error } = await createClient<paths>({ baseUrl }).GET('/api/weather', { params: { query: { city } } });
  if (error !== undefined) throw new Error(\`\${error.statusCode} \${error.message}\`);
  return \`\${data.place}, \${data.country}\`;
}
`;

describe('the weather routes in the OpenAPI document', () => {
  it('document every status their tests see, the pages theirs as HTML', async () => {
    const app = await buildTestApp();
    const document = (await app.inject('/docs/json')).json<OpenApiDocument & { paths: { '/weather': { post: { responses: object } } } }>();
    const statuses = documentedStatuses(document);
    expect(statuses['GET /api/weather']).toEqual(expect.arrayContaining(['200', '400', '404', '502', '503', '504']));
    expect(statuses['POST /weather']).toEqual(expect.arrayContaining(['200', '400', '404', '415', '502', '503', '504']));
    expect(document.paths['/weather'].post.responses).toMatchObject({ 404: { content: { 'text/html': {} } }, 502: { content: { 'text/html': {} } } });
  });

  it('GET /api/weather is called by its generated client (openapi-typescript, openapi-fetch), which type-checks', async () => {
    // Load shedding measures the event loop's lag, which the compiler, run in this process, makes long.
    const { app } = await buildWithUpstream('open-meteo', { maxEventLoopDelayMs: 0 });
    const client = await generatedClient<{ placeOf: (baseUrl: string, city: string) => Promise<string> }>(
      (await app.inject('/docs/json')).json<OpenApiDocument>(),
      weatherClient,
    );
    expect(await client.placeOf(await app.listen({ host: '127.0.0.1', port: 0 }), 'London')).toBe('London, GB');
  });
});
