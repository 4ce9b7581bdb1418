import { createRequire } from 'node:module';
import { compileFunction } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { SchemaSourcesFile } from '../../src/schemas/precompiled.ts';
import { serializerKey, validatorKey } from '../../src/schemas/precompiled.ts';
import { recordingCompilers } from '../../src/schemas/write-schema-sources.ts';

const query = { type: 'object', properties: { n: { type: 'integer', minimum: 0 } }, required: ['n'] };
const place = { type: 'object', properties: { name: { anyOf: [{ type: 'string' }, { type: 'null' }] }, at: { type: 'string', format: 'date-time' } } };

/** What the bundle does with a kept module: evaluates it as CommonJS, resolving its requires from node_modules. */
function load(code: string): unknown {
  const module = { exports: {} as unknown };
  const run = compileFunction(code, ['module', 'exports', 'require']) as (...args: [typeof module, unknown, NodeJS.Require]) => void;
  run(module, module.exports, createRequire(import.meta.url));
  return module.exports;
}
/** What Fastify hands its validator compiler with no `ajv` server option. */
const fastifyAjvOptions = { customOptions: {}, plugins: [] };

describe('recordingCompilers', () => {
  it('keeps the code of each validator, which checks and coerces as the compiled one does', () => {
    const sources: SchemaSourcesFile = { validators: [], serializers: [] };
    const route = { method: 'GET', url: '/a', httpPart: 'querystring', schema: query };
    recordingCompilers(sources).buildValidator({}, fastifyAjvOptions)(route);
    expect(sources.validators.map(([key]) => key)).toEqual([validatorKey(route)]);
    const validate = load(sources.validators[0]?.[1] ?? '') as (input: unknown) => boolean;
    const input = { n: '2' };
    expect(validate(input)).toBe(true);
    expect(input).toEqual({ n: 2 });
    expect(validate({ n: -1 })).toBe(false);
  });

  it('keeps the code of each distinct serializer once, anyOf included, needing no Ajv of its own', () => {
    const sources: SchemaSourcesFile = { validators: [], serializers: [] };
    const compile = recordingCompilers(sources).buildSerializer({}, {});
    compile({ method: 'GET', url: '/a', httpStatus: '200', schema: place });
    compile({ method: 'HEAD', url: '/a', httpStatus: '200', schema: place });
    expect(sources.serializers.map(([key]) => key)).toEqual([serializerKey({ schema: place })]);
    const code = sources.serializers[0]?.[1] ?? '';
    expect(code).not.toContain('fast-json-stringify/lib/validator');
    const serialize = load(code) as (value: unknown) => string;
    expect(serialize({ name: null, at: '2026-01-01T00:00:00.000Z', extra: 1 })).toBe('{"name":null,"at":"2026-01-01T00:00:00.000Z"}');
    expect(serialize({ name: 'Oslo' })).toBe('{"name":"Oslo"}');
  });
});
