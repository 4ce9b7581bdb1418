import { describe, expect, it } from 'vitest';
import { randomIndices } from '../lib/random-mix.ts';

describe('randomIndices', () => {
  it('gives the same sequence for the same seed', () => {
    const first = randomIndices(7, 10_000);
    const second = randomIndices(7, 10_000);
    const a = Array.from({ length: 100 }, first);
    expect(Array.from({ length: 100 }, second)).toEqual(a);
    expect(Array.from({ length: 100 }, randomIndices(8, 10_000))).not.toEqual(a);
  });

  it('covers the whole range, ends included, and nothing outside it', () => {
    const next = randomIndices(1, 20);
    const seen = new Set(Array.from({ length: 2_000 }, next));
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 21 }, (_, n) => n));
  });
});
