import { describe, expect, it } from 'vitest';
import { histogram, ksStatistic, meanStd, wasserstein1 } from '../src/stats.js';

describe('wasserstein1 (hand-computed, equal to SciPy wasserstein_distance)', () => {
  it('is the shift between a sample and its translate', () => {
    expect(wasserstein1([0, 1, 3], [5, 6, 8])).toBeCloseTo(5, 12);
  });
  it('integrates |F_a - F_b| over the merged support, samples of different sizes', () => {
    // [1.4, 3.4): |0 - .5|·2 = 1; [3.4, 3.9): .25·.5; [3.9, 4.5): 0; [4.5, 7.5): .5·3; [7.5, 7.8): .25·.3 → 2.7
    expect(wasserstein1([3.4, 3.9, 7.5, 7.8], [4.5, 1.4])).toBeCloseTo(2.7, 12);
    expect(wasserstein1([0], [0, 1])).toBeCloseTo(0.5, 12);
    expect(wasserstein1([0, 1], [0, 2])).toBeCloseTo(0.5, 12);
  });
  it('is 0 for the same sample in any order, and symmetric', () => {
    expect(wasserstein1([2, 1, 3, 3], [3, 1, 3, 2])).toBe(0);
    expect(wasserstein1([0, 5], [1, 2, 9])).toBeCloseTo(wasserstein1([1, 2, 9], [0, 5]), 12);
  });
});

describe('ksStatistic (hand-computed, equal to SciPy ks_2samp().statistic)', () => {
  it('is 1 for disjoint samples and 0 for equal ones', () => {
    expect(ksStatistic([1, 2, 3], [4, 5, 6])).toBe(1);
    expect(ksStatistic([1, 2, 3], [3, 2, 1])).toBe(0);
  });
  it('is the largest CDF gap, evaluated after ties', () => {
    expect(ksStatistic([0, 1], [0, 2])).toBe(0.5);
    // after 1: 2/3 vs 1/3; after 2: both 1
    expect(ksStatistic([1, 1, 2], [1, 2, 2])).toBeCloseTo(1 / 3, 12);
    expect(ksStatistic([3.4, 3.9, 7.5, 7.8], [4.5, 1.4])).toBe(0.5);
  });
  it('rejects empty samples and NaN', () => {
    expect(() => ksStatistic([], [1])).toThrow(/a must not be empty/);
    expect(() => wasserstein1([1], [Number.NaN])).toThrow(/b\[0\] is NaN/);
  });
});

describe('meanStd and histogram', () => {
  it('meanStd is the population mean and std', () => {
    const r = meanStd([1, 2, 3, 4]);
    expect(r.mean).toBe(2.5);
    expect(r.std).toBeCloseTo(Math.sqrt(1.25), 12);
  });
  it('histogram bins [lo, hi] equally, the top edge in the last bin, as densities', () => {
    const h = histogram([0, 0.5, 1, 1.5, 2, 7], 0, 2, 2);
    expect(h.edges).toEqual([0, 1, 2]);
    // 6 values, bin width 1: 2 and 3 inside, 7 dropped
    expect(h.density).toEqual([2 / 6, 3 / 6]);
    expect(() => histogram([1], 1, 1, 3)).toThrow(/hi > lo/);
  });
});
