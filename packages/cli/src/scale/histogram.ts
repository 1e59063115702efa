/**
 * Prometheus histograms as counts over a window: cumulative bucket counts by upper bound (`le`), sum
 * and count; mean and quantiles computed the way PromQL's histogram_quantile does.
 */

export interface HistogramCounts {
  /** Cumulative counts by upper bound, ascending; the last bound is +Inf when the series has one. */
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

export const EMPTY_HISTOGRAM: HistogramCounts = { buckets: [], sum: 0, count: 0 };

/** A bucket's `le` label as a number: Prometheus writes the last one `+Inf`, which Number() reads as NaN. */
export function bucketBound(le: string): number {
  const t = le.trim();
  if (t === '+Inf' || t === 'Inf') return Infinity;
  const v = t === '' ? Number.NaN : Number(t);
  if (Number.isNaN(v)) throw new Error(`histogram bucket bound le=${JSON.stringify(le)} is not a number`);
  return v;
}

/** Adds bucket counts of equal bounds (series of several label sets, or several processes). */
export function mergeBuckets(parts: readonly { le: number; count: number }[]): { le: number; count: number }[] {
  const byLe = new Map<number, number>();
  for (const b of parts) byLe.set(b.le, (byLe.get(b.le) ?? 0) + b.count);
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/** end − start per bucket, sum and count; a counter that went down (a restart) counts from zero. */
export function histogramIncrease(start: HistogramCounts, end: HistogramCounts): HistogramCounts {
  const before = new Map(start.buckets.map((b) => [b.le, b.count]));
  const grow = (a: number, b: number): number => (b >= a ? b - a : b);
  return {
    buckets: end.buckets.map((b) => ({ le: b.le, count: grow(before.get(b.le) ?? 0, b.count) })),
    sum: grow(start.sum, end.sum),
    count: grow(start.count, end.count),
  };
}

/** The mean observation (NaN with no observations). */
export function histogramMean(h: HistogramCounts): number {
  return h.count > 0 ? h.sum / h.count : Number.NaN;
}

/**
 * The q-quantile with linear interpolation inside the bucket it falls in, as histogram_quantile:
 * the lowest bucket starts at 0, a rank in the +Inf bucket gives the highest finite bound. NaN when empty.
 */
export function histogramQuantile(h: HistogramCounts, q: number): number {
  const buckets = h.buckets;
  const total = buckets.length > 0 ? buckets[buckets.length - 1].count : 0;
  if (total <= 0) return Number.NaN;
  const rank = q * total;
  const i = buckets.findIndex((b) => b.count >= rank);
  if (i < 0) return Number.NaN;
  const { le, count } = buckets[i];
  if (le === Infinity) return i > 0 ? buckets[i - 1].le : Number.NaN;
  const lower = i > 0 ? buckets[i - 1].le : Math.min(0, le);
  const below = i > 0 ? buckets[i - 1].count : 0;
  if (count === below) return le;
  return lower + ((le - lower) * (rank - below)) / (count - below);
}
