import type { ValidatorFactory } from '@fastify/ajv-compiler';
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler';
import precompiledSchemas from '#precompiled-schemas';
import { serializerKey, validatorKey, type PrecompiledSchemas, type Serializer } from './precompiled.ts';

export interface SchemaCompilers {
  buildValidator: ValidatorFactory;
  buildSerializer: SerializerFactory;
}

/**
 * Fastify's own compilers (Ajv, fast-json-stringify), taking what the bundler generated first: a bundled
 * service compiles no schema at start. A schema it did not see (a route only some settings add) is compiled
 * as usual. Each distinct response schema is compiled once: Fastify asks for one serializer per route, method
 * and status, and the error responses every route declares, and each GET's HEAD twin, would be compiled over and over.
 */
export function schemaCompilers(precompiled: PrecompiledSchemas = precompiledSchemas): SchemaCompilers {
  return {
    buildValidator: (externalSchemas, options) => {
      let compile: ReturnType<ValidatorFactory> | undefined;
      return (route) =>
        precompiled.validators.get(validatorKey(route)) ?? (compile ??= precompiled.loadCompilers().ValidatorSelector()(externalSchemas, options))(route);
    },
    buildSerializer: (externalSchemas, options) => {
      let compile: ReturnType<SerializerFactory> | undefined;
      const compiled = new Map<string, Serializer>(precompiled.serializers);
      return (route) => {
        const key = serializerKey(route);
        let serializer = compiled.get(key);
        if (serializer === undefined) {
          serializer = (compile ??= precompiled.loadCompilers().SerializerSelector()(externalSchemas, options))(route);
          compiled.set(key, serializer);
        }
        return serializer;
      };
    },
  };
}
