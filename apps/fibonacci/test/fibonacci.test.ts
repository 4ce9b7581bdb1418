import { describe, expect, it } from 'vitest';
import { responseCacheEntryOverheadBytes } from '@fastify-gitlab/service-kit';
import { fibonacci } from '../src/fibonacci/fast-doubling.ts';
import { fibonacciBody } from '../src/fibonacci/responses.ts';
import { readServiceOptions, responseCacheBytes, responseCacheCeilingBytes } from '../src/options.ts';

describe('fibonacci (fast doubling)', () => {
  it('follows the recurrence for the first 300 numbers', () => {
    for (let n = 2; n < 300; n++) expect(fibonacci(n)).toBe(fibonacci(n - 1) + fibonacci(n - 2));
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 31])('refuses %d', (n) => {
    expect(() => fibonacci(n)).toThrow(RangeError);
  });
});

describe('readServiceOptions', () => {
  it('defaults the maximum n to 10 000', () => {
    expect(readServiceOptions({})).toEqual({ maxN: 10_000 });
  });

  it('reads FIB_MAX_N', () => {
    expect(readServiceOptions({ FIB_MAX_N: '20000' })).toEqual({ maxN: 20_000 });
  });

  it.each(['0', '-5', 'ten', '100001'])('refuses FIB_MAX_N=%s naming the variable', (value) => {
    expect(() => readServiceOptions({ FIB_MAX_N: value })).toThrow(/FIB_MAX_N must be a whole number from 1 to 100000/);
  });
});

describe('responseCacheBytes', () => {
  it.each([1, 100, 10_000])('leaves room in the response cache for every answer up to FIB_MAX_N=%d', (maxN) => {
    let needed = 0;
    for (let n = 0; n <= maxN; n++) needed += Buffer.byteLength(fibonacciBody(n)) + responseCacheEntryOverheadBytes;
    expect(responseCacheBytes({ maxN })).toBeGreaterThanOrEqual(needed);
  });

  it('stays within its ceiling for the largest FIB_MAX_N', () => {
    expect(responseCacheBytes({ maxN: 100_000 })).toBe(responseCacheCeilingBytes);
  });
});
