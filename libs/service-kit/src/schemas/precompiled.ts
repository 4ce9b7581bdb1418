import type ValidatorSelector from '@fastify/ajv-compiler';
import type { ValidatorFactory } from '@fastify/ajv-compiler';
import type SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler';

export type Validator = ReturnType<ReturnType<ValidatorFactory>>;
export type Serializer = ReturnType<ReturnType<SerializerFactory>>;

/**
 * The routes' validators and serializers, generated when the service was bundled (tools/build), keyed by
 * what they were generated from. What `#precompiled-schemas` is: in a bundle, the generated module; run from
 * its sources, none (./not-precompiled.ts), and every schema is compiled at start.
 */
export interface PrecompiledSchemas {
  validators: ReadonlyMap<string, Validator>;
  serializers: ReadonlyMap<string, Serializer>;
  /**
   * Fastify's own compilers, for a schema that was not precompiled. Loaded on the first call: Ajv and
   * fast-json-stringify's compiler are a large share of a bundle, and a bundled service seldom needs them.
   */
  loadCompilers: () => { ValidatorSelector: typeof ValidatorSelector; SerializerSelector: typeof SerializerSelector };
}

/** The environment variable under which tools/build runs a service's main.ts: the file to write its schemas' code to. */
export const schemaSourcesFileVariable = 'PRECOMPILE_SCHEMAS_TO';

/** That file's JSON: each validator's and serializer's key, and its code as a CommonJS module (the libraries' standalone code). */
export interface SchemaSourcesFile {
  validators: [string, string][];
  serializers: [string, string][];
}

/** A validator is what Ajv makes of the schema of one part of a request (body, querystring, params, headers). */
export function validatorKey({ schema, httpPart }: { schema: unknown; httpPart?: string }): string {
  return JSON.stringify([httpPart, schema]);
}

/** A serializer depends on its response schema alone: the same one serves every route and status declaring it. */
export function serializerKey({ schema }: { schema?: unknown }): string {
  return JSON.stringify(schema);
}
