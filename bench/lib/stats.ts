/** The middle value (the mean of the two middle ones for an even count); robust to one noisy round. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** ours ÷ reference, or undefined when there is no reference to divide by. */
export function ratio(ours: number, reference: number | undefined): number | undefined {
  return reference === undefined || reference === 0 ? undefined : ours / reference;
}
