/** Order statistics for benchmark samples: every figure is reported as a median and its spread. */

export interface Spread {
  n: number;
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

/** The q-quantile (0…1) of sorted values, linearly interpolated between neighbours. */
export const quantile = (sorted: readonly number[], q: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[above] ?? low;
  return low + (high - low) * (position - below);
};

export const summarize = (values: readonly number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
};

/** Element-wise a[i] / b[i]: the ratio of each interleaved pair, for the spread of a ratio. */
export const pairRatios = (a: readonly number[], b: readonly number[]): number[] =>
  a.slice(0, Math.min(a.length, b.length)).map((value, i) => value / (b[i] ?? Number.NaN));

/** Rounds for JSON: results.json stays readable without losing meaningful precision. */
export const round = (value: number, digits = 4): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export const roundSpread = (spread: Spread, digits = 4): Spread => ({
  n: spread.n,
  median: round(spread.median, digits),
  p25: round(spread.p25, digits),
  p75: round(spread.p75, digits),
  min: round(spread.min, digits),
  max: round(spread.max, digits),
});
