import { describe, expect, it } from 'vitest';
import {
  firstCrossing,
  mean,
  meanAcross,
  meanBandAcross,
  meanCI,
  movingAverage,
  sampleStd,
  studentTCdf,
  studentTQuantile,
} from '../src/stats.js';

describe('movingAverage', () => {
  it('is a trailing mean that averages what is there for the first window-1 entries', () => {
    expect(movingAverage([1, 2, 3, 4, 5], 2)).toEqual([1, 1.5, 2.5, 3.5, 4.5]);
    expect(movingAverage([1, 2, 3, 4, 5], 3)).toEqual([1, 1.5, 2, 3, 4]);
    expect(movingAverage([4, -2, 10], 1)).toEqual([4, -2, 10]);
    expect(movingAverage([3, 6], 20)).toEqual([3, 4.5]);
    expect(movingAverage([], 5)).toEqual([]);
  });
  it('rejects a bad window', () => {
    expect(() => movingAverage([1], 0)).toThrow(/window/);
    expect(() => movingAverage([1], 1.5)).toThrow(/window/);
  });
});

describe('mean and standard deviation', () => {
  it('match hand-computed values', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    // Σ(x-5)² = 9+1+1+1+0+0+4+16 = 32; sample variance 32/7.
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(Number.isNaN(mean([]))).toBe(true);
    expect(Number.isNaN(sampleStd([1]))).toBe(true);
  });
});

describe('Student t', () => {
  it('quantiles match the tables', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736, 6);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652730, 7);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445105, 7);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262157163, 7);
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.045229642, 7);
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015048373, 7);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 4);
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-2.262157163, 7);
    expect(studentTQuantile(0.5, 3)).toBe(0);
  });
  it('the CDF inverts the quantile and is symmetric', () => {
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(2.015048373, 5)).toBeCloseTo(0.95, 8);
    expect(studentTCdf(-1.3, 7) + studentTCdf(1.3, 7)).toBeCloseTo(1, 12);
    // df = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 10);
  });
});

describe('meanCI', () => {
  it('is mean ± t(0.975, n-1)·s/√n', () => {
    // [1..5]: mean 3, s = √2.5, t(0.975, 4) = 2.776445105 → half width 1.963243.
    const ci = meanCI([1, 2, 3, 4, 5]);
    expect(ci.n).toBe(5);
    expect(ci.mean).toBe(3);
    expect(ci.std).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(ci.halfWidth).toBeCloseTo((2.776445105 * Math.sqrt(2.5)) / Math.sqrt(5), 7);
    expect(ci.halfWidth).toBeCloseTo(1.963243, 5);
    expect(ci.lo).toBeCloseTo(3 - 1.963243, 5);
    expect(ci.hi).toBeCloseTo(3 + 1.963243, 5);
  });
  it('has no interval for a single value', () => {
    const ci = meanCI([7]);
    expect(ci.mean).toBe(7);
    expect(Number.isNaN(ci.halfWidth)).toBe(true);
  });
  it('honours the level', () => {
    // [0, 2]: mean 1, s = √2, n = 2; 90%: t(0.95, 1) = 6.313751515 → half = 6.313751515.
    expect(meanCI([0, 2], 0.9).halfWidth).toBeCloseTo(6.313751515, 6);
  });
});

describe('across seeds', () => {
  it('meanBandAcross gives the per-index mean and t-interval', () => {
    const band = meanBandAcross([
      [1, 2],
      [3, 4],
    ]);
    expect(band.mean).toEqual([2, 3]);
    // s = √2 at both indices, n = 2: half = 12.7062047 · √2/√2.
    expect(band.lo[0]).toBeCloseTo(2 - 12.706204736, 6);
    expect(band.hi[1]).toBeCloseTo(3 + 12.706204736, 6);
    expect(meanAcross([[1, 2, 3]])).toEqual([1, 2, 3]);
    expect(meanBandAcross([[5, 6]]).lo).toEqual([5, 6]);
    expect(() => meanBandAcross([[1], [1, 2]])).toThrow(/same length/);
  });
  it('firstCrossing finds the first index at or past the threshold', () => {
    expect(firstCrossing([-5, -1, 0, 2], 0)).toBe(2);
    expect(firstCrossing([-5, -1, 0.5, 2], 0)).toBe(2);
    expect(firstCrossing([-5, -1], 0)).toBeNull();
    expect(firstCrossing([100, 40, 12, 30], 14, 'below')).toBe(2);
    expect(firstCrossing([], 0)).toBeNull();
  });
});
