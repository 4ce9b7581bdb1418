import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import { documentedSchema, license, serverUrl } from '../openapi/document.ts';

export interface SwaggerOptions {
  title: string;
  description: string;
  version: string;
  /** Where the service listens, for the document's `servers`. */
  listen: { host: string; port: number };
}

/** The OpenAPI document (/docs/json) and its UI (/docs), both built from the route schemas. */
export default fp<SwaggerOptions>(async (app, { title, description, version, listen }) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title, description, version, license },
      servers: [{ url: serverUrl(listen), description: 'Where this instance listens (PORT, HOST)' }],
    },
    // Components are named by their $id (ErrorResponse), so a generated client's types are too.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // Hidden routes (the UI's own) stay hidden; every other one gets the statuses all routes share. A route declared
    // without a schema comes here without one, whatever the plugin's types say.
    transform: ({ schema, url }: { schema: FastifySchema | undefined; url: string }) => ({ schema: schema?.hide === true ? schema : documentedSchema(schema ?? {}), url }),
  });
  // Our own logo (the service's name) also spares the plugin reading its default one from its package
  // folder, which is not there once the service is bundled.
  await app.register(swaggerUi, { routePrefix: '/docs', logo: { type: 'image/svg+xml', content: logo(title) } });
}, { name: 'swagger' });

function logo(text: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40"><text x="0" y="30" font-family="sans-serif" font-size="28" fill="#fff">${text}</text></svg>`;
}
