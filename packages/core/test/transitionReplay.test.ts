import { describe, expect, it } from 'vitest';
import { npRandom, TransitionReplay } from '@reverie/core';

/** Transition k has obs [k, -k], action k % 3, reward 10k, nextObs [k+1, -k-1], terminated when k % 5 == 4. */
function fillReplay(capacity: number, n: number, actionSize = 1): TransitionReplay {
  const r = new TransitionReplay({ capacity, obsSize: 2, actionSize });
  for (let k = 0; k < n; k++) {
    const action = actionSize === 1 ? k % 3 : Float32Array.from({ length: actionSize }, (_, j) => k + j / 10);
    r.add(Float32Array.of(k, -k), action, 10 * k, Float64Array.of(k + 1, -k - 1), k % 5 === 4, k % 7 === 6);
  }
  return r;
}

describe('TransitionReplay', () => {
  it('stores transitions and reports size and capacity', () => {
    const r = fillReplay(10, 4, 2);
    expect(r.size).toBe(4);
    expect(r.capacity).toBe(10);
    const b = r.gather([3, 0]);
    expect([...b.obs]).toEqual([3, -3, 0, -0]);
    expect([...b.actions]).toEqual([3, 3.1, 0, 0.1].map(Math.fround));
    expect([...b.rewards]).toEqual([30, 0]);
    expect([...b.nextObs]).toEqual([4, -4, 1, -1]);
    expect([...b.terminated]).toEqual([0, 0]);
  });

  it('overwrites the oldest transitions when full', () => {
    const r = fillReplay(5, 12);
    expect(r.size).toBe(5);
    const rewards = [...r.gather([0, 1, 2, 3, 4]).rewards].sort((a, b) => a - b);
    expect(rewards).toEqual([70, 80, 90, 100, 110]);
  });

  it('samples uniformly with replacement, deterministically for a seed, into a reused batch', () => {
    const r = fillReplay(100, 100);
    const out = r.createBatch(64);
    const a = [...r.sample(64, npRandom(3).rng, out).rewards];
    const again = r.sample(64, npRandom(3).rng, out);
    expect(again).toBe(out);
    expect([...again.rewards]).toEqual(a);
    // Rows stay consistent: each row's fields come from the same transition.
    for (let b = 0; b < 64; b++) {
      const k = out.indices[b];
      expect(out.rewards[b]).toBe(10 * k);
      expect(out.obs[2 * b]).toBe(k);
      expect(out.nextObs[2 * b]).toBe(k + 1);
      expect(out.actions[b]).toBe(k % 3);
      expect(out.terminated[b]).toBe(k % 5 === 4 ? 1 : 0);
      expect(out.truncated[b]).toBe(k % 7 === 6 ? 1 : 0);
    }
    // Uniform: over many draws every slot appears at roughly the same rate.
    const counts = new Int32Array(100);
    const rng = npRandom(4).rng;
    for (let i = 0; i < 200; i++) for (const k of r.sample(64, rng, out).indices) counts[k]++;
    expect(Math.min(...counts)).toBeGreaterThan(80);
    expect(Math.max(...counts)).toBeLessThan(180);
  });

  it('splits into disjoint, covering, deterministic train and held-out lists', () => {
    const r = fillReplay(50, 40);
    const s = r.split(0.2, npRandom(1).rng);
    expect(s.heldOut.length).toBe(8);
    expect(s.train.length).toBe(32);
    expect([...s.train, ...s.heldOut].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(r.split(0.2, npRandom(1).rng)).toEqual(s);
    expect(r.split(0.2, npRandom(2).rng)).not.toEqual(s);
    const tiny = fillReplay(5, 2).split(0.01, npRandom(0).rng);
    expect([tiny.train.length, tiny.heldOut.length]).toEqual([1, 1]);
    const batch = r.sampleFrom(s.heldOut, 30, npRandom(5).rng);
    for (const k of batch.indices) expect(s.heldOut).toContain(k);
  });

  it('rejects bad input naming the field, and leaves the buffer unchanged', () => {
    const r = fillReplay(10, 3);
    expect(() => r.add(Float32Array.of(1), 0, 0, Float32Array.of(1, 2), false, false)).toThrow(/obs: expected 2 values, got 1/);
    expect(() => r.add(Float32Array.of(1, NaN), 0, 0, Float32Array.of(1, 2), false, false)).toThrow(/obs\[1\] is NaN/);
    expect(() => r.add(Float32Array.of(1, 2), 0, 0, Float32Array.of(Infinity, 2), false, false)).toThrow(/nextObs\[0\] is Infinity/);
    expect(() => r.add(Float32Array.of(1, 2), 0, NaN, Float32Array.of(1, 2), false, false)).toThrow(/reward: expected a finite number, got NaN/);
    expect(() => r.add(Float32Array.of(1, 2), [0, 1], 0, Float32Array.of(1, 2), false, false)).toThrow(/action: expected 1 values, got 2/);
    expect(() => r.add(Float32Array.of(1, 2), NaN, 0, Float32Array.of(1, 2), false, false)).toThrow(/action: value is NaN/);
    expect(r.size).toBe(3);
    expect(() => new TransitionReplay({ capacity: 0, obsSize: 2, actionSize: 1 })).toThrow(/capacity: expected a positive integer/);
    expect(() => new TransitionReplay({ capacity: 10, obsSize: 2, actionSize: 1 }).sample(4, npRandom(0).rng)).toThrow(/empty/);
    expect(() => r.sample(8, npRandom(0).rng, r.createBatch(4))).toThrow(/out: batch holds 4 rows/);
    expect(() => r.gather([3])).toThrow(/index 3 is outside the 3 held transitions/);
    expect(() => r.split(1, npRandom(0).rng)).toThrow(/heldOutFraction/);
  });
});
