/** The value at percentile `p` (0–100) of `sorted` (ascending), by nearest rank; undefined when it is empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
