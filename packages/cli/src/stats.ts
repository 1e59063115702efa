/**
 * Small statistics helpers for experiment summaries: moving averages, means with Student-t
 * confidence intervals, per-episode aggregation across seeds and threshold crossings.
 * Pure functions, no I/O.
 */

/**
 * Trailing moving average, same length as the input: entry i is the mean of
 * `xs[max(0, i - window + 1) .. i]`, so the first `window - 1` entries average what is there so far.
 */
export function movingAverage(xs: readonly number[], window: number): number[] {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
  const out = new Array<number>(xs.length);
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    sum += xs[i];
    if (i >= window) sum -= xs[i - window];
    out[i] = sum / Math.min(i + 1, window);
  }
  return out;
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n - 1 in the denominator); NaN for fewer than two values. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; ~15 significant digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const front = Math.exp(lnFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** CDF of Student's t distribution with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  const x = df / (df + t * t);
  const tail = 0.5 * regularizedIncompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Quantile (inverse CDF) of Student's t distribution: the t with P(T ≤ t) = p. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Bracket then bisect: the CDF is monotone, and bisection to 1e-12 relative is plenty here.
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e12) return Number.POSITIVE_INFINITY;
  }
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
    if (hi - lo <= 1e-13 * Math.max(1, hi)) break;
  }
  return 0.5 * (lo + hi);
}

export interface MeanCI {
  n: number;
  mean: number;
  /** Sample standard deviation (NaN when n < 2). */
  std: number;
  /** Half width of the interval: t_{(1+level)/2, n-1} · std / √n (NaN when n < 2). */
  halfWidth: number;
  lo: number;
  hi: number;
}

/** Mean with a two-sided Student-t confidence interval (default 95%) for the mean. */
export function meanCI(xs: readonly number[], level = 0.95): MeanCI {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
  const n = xs.length;
  const m = mean(xs);
  const std = sampleStd(xs);
  const halfWidth = n < 2 ? Number.NaN : studentTQuantile((1 + level) / 2, n - 1) * (std / Math.sqrt(n));
  return { n, mean: m, std, halfWidth, lo: m - halfWidth, hi: m + halfWidth };
}

export interface BandSeries {
  mean: number[];
  lo: number[];
  hi: number[];
}

/**
 * Per-index mean and 95% t-interval across equally long curves (one per seed). With a single curve
 * the band collapses onto the mean.
 */
export function meanBandAcross(curves: readonly (readonly number[])[], level = 0.95): BandSeries {
  if (curves.length === 0) return { mean: [], lo: [], hi: [] };
  const len = curves[0].length;
  for (const c of curves) {
    if (c.length !== len) throw new RangeError(`all curves must have the same length (${len}), got ${c.length}`);
  }
  const n = curves.length;
  const t = n < 2 ? 0 : studentTQuantile((1 + level) / 2, n - 1);
  const out: BandSeries = { mean: new Array(len), lo: new Array(len), hi: new Array(len) };
  const column = new Array<number>(n);
  for (let i = 0; i < len; i++) {
    for (let k = 0; k < n; k++) column[k] = curves[k][i];
    const m = mean(column);
    const half = n < 2 ? 0 : (t * sampleStd(column)) / Math.sqrt(n);
    out.mean[i] = m;
    out.lo[i] = m - half;
    out.hi[i] = m + half;
  }
  return out;
}

/** Per-index mean across equally long curves. */
export function meanAcross(curves: readonly (readonly number[])[]): number[] {
  return meanBandAcross(curves).mean;
}

/**
 * Index (0-based) of the first entry that is ≥ threshold (or ≤ it with `direction: 'below'`);
 * null when the series never gets there.
 */
export function firstCrossing(
  series: readonly number[],
  threshold: number,
  direction: 'above' | 'below' = 'above',
): number | null {
  for (let i = 0; i < series.length; i++) {
    if (direction === 'above' ? series[i] >= threshold : series[i] <= threshold) return i;
  }
  return null;
}

/** Sorted float64 copy, rejecting NaN (a NaN would silently break every comparison below). */
function sortedCopy(name: string, xs: ArrayLike<number>): Float64Array {
  if (xs.length === 0) throw new RangeError(`${name} must not be empty`);
  const out = Float64Array.from(xs);
  for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) throw new RangeError(`${name}[${i}] is NaN`);
  return out.sort();
}

/**
 * Walks the merged order of two samples, calling `visit(x, next, Fa, Fb)` for each distinct value x with both
 * empirical CDFs just after x and the next distinct value (Infinity after the last).
 */
function walkCdfs(a: Float64Array, b: Float64Array, visit: (x: number, next: number, fa: number, fb: number) => void): void {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = Math.min(i < a.length ? a[i] : Infinity, j < b.length ? b[j] : Infinity);
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    const next = Math.min(i < a.length ? a[i] : Infinity, j < b.length ? b[j] : Infinity);
    visit(x, next, i / a.length, j / b.length);
  }
}

/**
 * Wasserstein-1 (earth mover's) distance between two empirical distributions, ∫ |F_a − F_b| dx: SciPy's
 * `wasserstein_distance(a, b)`. Samples may differ in size.
 */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let total = 0;
  walkCdfs(sortedCopy('a', a), sortedCopy('b', b), (x, next, fa, fb) => {
    if (next !== Infinity) total += Math.abs(fa - fb) * (next - x);
  });
  return total;
}

/** Two-sample Kolmogorov–Smirnov statistic sup_x |F_a(x) − F_b(x)|: SciPy's `ks_2samp(a, b).statistic`. */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  walkCdfs(sortedCopy('a', a), sortedCopy('b', b), (_x, _next, fa, fb) => {
    d = Math.max(d, Math.abs(fa - fb));
  });
  return d;
}

/** Population mean and standard deviation (ddof 0, NumPy's default), in float64. */
export function meanStd(xs: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  const m = s / xs.length;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - m) ** 2;
  return { mean: m, std: Math.sqrt(ss / xs.length) };
}

/** `bins` equal-width bins over [lo, hi]: edges (bins + 1) and density (counts / (n · width)); outside values are dropped. */
export function histogram(xs: ArrayLike<number>, lo: number, hi: number, bins: number): { edges: number[]; density: number[] } {
  if (!(hi > lo) || !Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram needs hi > lo and bins >= 1, got [${lo}, ${hi}], ${bins}`);
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (!(x >= lo && x <= hi)) continue;
    counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
  }
  return {
    edges: Array.from({ length: bins + 1 }, (_, k) => lo + k * width),
    density: counts.map((c) => c / (Math.max(xs.length, 1) * width)),
  };
}
