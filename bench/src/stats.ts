/** Small statistics for benchmark figures: every figure is shown with its spread. */

/** Median of a non-empty list (0 for an empty one). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The `q` quantile (0…1) by linear interpolation between closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] ?? 0;
  const b = sorted[high] ?? a;
  return a + (b - a) * (position - low);
}

/** A figure measured several times: its median and the range it fell in. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many measurements (rounds, process pairs) it summarizes. */
  readonly n: number;
}

export function spreadOf(values: readonly number[]): Spread {
  return {
    median: median(values),
    min: values.length === 0 ? 0 : Math.min(...values),
    max: values.length === 0 ? 0 : Math.max(...values),
    n: values.length,
  };
}

/** `12,345` / `0.943` style numbers. */
export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** `0.943 (0.901–0.975, n=7)`. */
export function fmtSpread(spread: Spread, digits = 0): string {
  if (spread.n <= 1) return `${fmt(spread.median, digits)} (n=${spread.n})`;
  return `${fmt(spread.median, digits)} (${fmt(spread.min, digits)}–${fmt(spread.max, digits)}, n=${spread.n})`;
}
