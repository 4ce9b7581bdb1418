import { describe, expect, it } from 'vitest';
import { median, ratio } from '../lib/stats.ts';

describe('median', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 1000], 10],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('refuses no values', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('ratio', () => {
  it('divides ours by the reference', () => {
    expect(ratio(90, 100)).toBe(0.9);
  });

  it('has no value without a reference', () => {
    expect(ratio(90, undefined)).toBeUndefined();
    expect(ratio(90, 0)).toBeUndefined();
  });
});
