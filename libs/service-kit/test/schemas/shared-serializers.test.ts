import { describe, expect, it } from 'vitest';
import { sharedSerializers } from '../../src/schemas/shared-serializers.ts';

const external = { Error: { $id: 'Error', type: 'object', properties: { message: { type: 'string' } } } };
const errorRef = { $ref: 'Error' };
const count = { type: 'object', properties: { count: { type: 'integer' } } };

describe('sharedSerializers', () => {
  it('compiles a schema once for every route, method and status that declares it', () => {
    const compile = sharedSerializers()(external, {});
    const onGet = compile({ method: 'GET', url: '/a', httpStatus: '404', schema: errorRef });
    const onHead = compile({ method: 'HEAD', url: '/a', httpStatus: '404', schema: errorRef });
    const elsewhere = compile({ method: 'GET', url: '/b', httpStatus: '400', schema: errorRef });
    expect(onHead).toBe(onGet);
    expect(elsewhere).toBe(onGet);
    expect(onGet({ message: 'no', extra: 1 })).toBe('{"message":"no"}');
  });

  it('keeps different schemas apart', () => {
    const compile = sharedSerializers()(external, {});
    const error = compile({ method: 'GET', url: '/a', httpStatus: '404', schema: errorRef });
    const counted = compile({ method: 'GET', url: '/a', httpStatus: '200', schema: count });
    expect(counted).not.toBe(error);
    expect(counted({ count: 3, message: 'x' })).toBe('{"count":3}');
  });
});
