/**
 * The n-th Fibonacci number, exactly, by fast doubling: O(log n) big-integer multiplications.
 *   F(2k)   = F(k) · (2·F(k+1) − F(k))
 *   F(2k+1) = F(k)² + F(k+1)²
 */
export function fibonacci(n: number): bigint {
  // The bit loop below reads n as a 32-bit integer.
  if (!Number.isInteger(n) || n < 0 || n > 0x7fff_ffff) throw new RangeError(`n must be an integer from 0 to 2^31 - 1, got ${n}`);
  let current = 0n; // F(k)
  let next = 1n; // F(k+1)
  for (let bit = 31 - Math.clz32(n); bit >= 0; bit--) {
    const doubled = current * (2n * next - current);
    const doubledPlusOne = current * current + next * next;
    if ((n >>> bit) & 1) {
      current = doubledPlusOne;
      next = doubled + doubledPlusOne;
    } else {
      current = doubled;
      next = doubledPlusOne;
    }
  }
  return current;
}
