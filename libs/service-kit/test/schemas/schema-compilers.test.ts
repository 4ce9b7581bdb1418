import { describe, expect, it } from 'vitest';
import notPrecompiled from '../../src/schemas/not-precompiled.ts';
import { serializerKey, validatorKey, type PrecompiledSchemas, type Validator } from '../../src/schemas/precompiled.ts';
import { schemaCompilers } from '../../src/schemas/schema-compilers.ts';

const external = { Error: { $id: 'Error', type: 'object', properties: { message: { type: 'string' } } } };
const errorRef = { $ref: 'Error' };
const count = { type: 'object', properties: { count: { type: 'integer' } } };
const query = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
/** What Fastify hands its validator compiler with no `ajv` server option. */
const fastifyAjvOptions = { customOptions: {}, plugins: [] };

describe('schemaCompilers', () => {
  it('compiles a response schema once for every route, method and status that declares it', () => {
    const compile = schemaCompilers().buildSerializer(external, {});
    const onGet = compile({ method: 'GET', url: '/a', httpStatus: '404', schema: errorRef });
    const onHead = compile({ method: 'HEAD', url: '/a', httpStatus: '404', schema: errorRef });
    const elsewhere = compile({ method: 'GET', url: '/b', httpStatus: '400', schema: errorRef });
    expect(onHead).toBe(onGet);
    expect(elsewhere).toBe(onGet);
    expect(onGet({ message: 'no', extra: 1 })).toBe('{"message":"no"}');
  });

  it('keeps different response schemas apart', () => {
    const compile = schemaCompilers().buildSerializer(external, {});
    const error = compile({ method: 'GET', url: '/a', httpStatus: '404', schema: errorRef });
    const counted = compile({ method: 'GET', url: '/a', httpStatus: '200', schema: count });
    expect(counted).not.toBe(error);
    expect(counted({ count: 3, message: 'x' })).toBe('{"count":3}');
  });

  it('compiles request schemas with Fastify’s Ajv options: types coerced', () => {
    const validate = schemaCompilers().buildValidator({}, fastifyAjvOptions)({ method: 'GET', url: '/a', httpPart: 'querystring', schema: query });
    const input = { n: '3' };
    expect(validate(input)).toBe(true);
    expect(input).toEqual({ n: 3 });
  });

  it('takes the precompiled validator and serializer of a schema, and loads no compiler for them', () => {
    // A stand-in: Fastify only calls it.
    const validate = (() => true) as unknown as Validator;
    const serialize = () => '{"precompiled":true}';
    const precompiled: PrecompiledSchemas = {
      validators: new Map([[validatorKey({ httpPart: 'querystring', schema: query }), validate]]),
      serializers: new Map([[serializerKey({ schema: count }), serialize]]),
      loadCompilers: () => {
        throw new Error('no compiler should be loaded');
      },
    };
    const compilers = schemaCompilers(precompiled);
    expect(compilers.buildValidator({}, fastifyAjvOptions)({ method: 'GET', url: '/a', httpPart: 'querystring', schema: query })).toBe(validate);
    expect(compilers.buildSerializer({}, {})({ method: 'GET', url: '/a', httpStatus: '200', schema: count })).toBe(serialize);
  });

  it('compiles what was not precompiled: the same schema for another part of the request, or another response', () => {
    const precompiled: PrecompiledSchemas = {
      validators: new Map([[validatorKey({ httpPart: 'querystring', schema: query }), (() => true) as unknown as Validator]]),
      serializers: new Map(),
      loadCompilers: notPrecompiled.loadCompilers,
    };
    const compilers = schemaCompilers(precompiled);
    const validateBody = compilers.buildValidator({}, fastifyAjvOptions)({ method: 'POST', url: '/a', httpPart: 'body', schema: query });
    expect(validateBody({})).toBe(false);
    expect(compilers.buildSerializer(external, {})({ method: 'GET', url: '/a', httpStatus: '200', schema: count })({ count: 1, x: 2 })).toBe('{"count":1}');
  });
});
