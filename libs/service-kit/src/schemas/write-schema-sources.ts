import { writeFile } from 'node:fs/promises';
import { StandaloneValidator } from '@fastify/ajv-compiler';
import { StandaloneSerializer } from '@fastify/fast-json-stringify-compiler';
import { buildService, type BuildOptions } from '../build-service.ts';
import type { ServiceDefinition } from '../service-definition.ts';
import { serializerKey, validatorKey, type SchemaSourcesFile } from './precompiled.ts';
import type { SchemaCompilers } from './schema-compilers.ts';

/**
 * Builds the app as it would start, with every schema compiled in the libraries' standalone mode, and
 * writes their code to `file` instead of listening: what the bundler ships so the service compiles none at start.
 */
export async function writeSchemaSources<Options extends object>(definition: ServiceDefinition<Options>, options: BuildOptions<Options>, file: string) {
  const sources: SchemaSourcesFile = { validators: [], serializers: [] };
  const app = await buildService(definition, { ...options, logger: false, schemaCompilers: recordingCompilers(sources) });
  await app.close();
  await writeFile(file, JSON.stringify(sources));
}

/**
 * Each schema compiled as at start, its code kept (the libraries' standalone modes). fast-json-stringify inlines
 * the Ajv checks a serializer needs (anyOf, if/then), so a precompiled serializer needs no Ajv at start either.
 */
export function recordingCompilers(sources: SchemaSourcesFile): SchemaCompilers {
  const keep = (list: [string, string][]) => (key: string, code: string) => {
    if (!list.some(([known]) => known === key)) list.push([key, code]);
  };
  const keepValidator = keep(sources.validators);
  const keepSerializer = keep(sources.serializers);
  const buildSerializer = StandaloneSerializer({
    storeFunction: (route, code) => {
      keepSerializer(serializerKey(route), code);
    },
  });
  return {
    buildValidator: StandaloneValidator({
      storeFunction: (route, code) => {
        keepValidator(validatorKey(route), code);
      },
    }),
    buildSerializer: (externalSchemas, options) => buildSerializer(externalSchemas, { ...options, inlineValidators: true }),
  };
}
