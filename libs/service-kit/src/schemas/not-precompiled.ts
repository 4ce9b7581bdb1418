import ValidatorSelector from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { PrecompiledSchemas } from './precompiled.ts';

/** `#precompiled-schemas` outside a bundle: nothing generated, so every schema is compiled at start. */
const notPrecompiled: PrecompiledSchemas = {
  validators: new Map(),
  serializers: new Map(),
  loadCompilers: () => ({ ValidatorSelector, SerializerSelector }),
};
export default notPrecompiled;
