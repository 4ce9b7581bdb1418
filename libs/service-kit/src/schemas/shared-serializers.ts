import SerializerSelector from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = SerializerSelector.SerializerFactory;

/**
 * Fastify's own serializer compiler (fast-json-stringify), compiling each distinct response schema once.
 * Fastify compiles one serializer per route, method and status: the error responses every route
 * declares, and each GET's HEAD twin, were compiled over and over at every start.
 */
export function sharedSerializers(): SerializerFactory {
  const buildSerializer = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = buildSerializer(externalSchemas, options);
    const compiled = new Map<string, ReturnType<typeof compile>>();
    return (route) => {
      const key = JSON.stringify(route.schema);
      let serializer = compiled.get(key);
      if (serializer === undefined) {
        serializer = compile(route);
        compiled.set(key, serializer);
      }
      return serializer;
    };
  };
}
