/**
 * The n that real callers ask for are many and varied, not one hot URL: this is a seeded sequence of them,
 * so every server in a comparison is asked the same n in the same order (mulberry32, a small, well-mixed
 * 32-bit generator: the bench needs repeatable variety, not cryptographic randomness).
 */
export function randomIndices(seed: number, maxN: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    const uniform = ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
    return Math.floor(uniform * (maxN + 1));
  };
}
