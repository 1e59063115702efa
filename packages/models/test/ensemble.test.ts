import { beforeAll, describe, expect, it } from 'vitest';
import { npRandom, TransitionReplay } from '@reverie/core';
import { tf } from '@reverie/nn';
import { ProbabilisticEnsemble, trainWorldModel } from '@reverie/models';
import { linearReplay, linearStep, testBackend } from './helpers.js';

beforeAll(testBackend);

const box = { type: 'box', size: 1 } as const;

function uniformBatch(n: number, seed: number, scale: number): { s: Float32Array; a: Float32Array } {
  const rng = npRandom(seed).rng;
  return {
    s: Float32Array.from({ length: n * 3 }, () => scale * rng.uniform(-1, 1)),
    a: Float32Array.from({ length: n }, () => rng.uniform(-1, 1)),
  };
}

/** The linear system with Gaussian noise of std `sigma` on the first state dimension only. */
function noisyReplay(n: number, sigma: number): TransitionReplay {
  const rng = npRandom(5).rng;
  const replay = new TransitionReplay({ capacity: n, obsSize: 3, actionSize: 1 });
  const next = new Float32Array(3);
  for (let i = 0; i < n; i++) {
    const s = Float32Array.from({ length: 3 }, () => rng.uniform(-1, 1));
    const a = rng.uniform(-1, 1);
    const r = linearStep(s, a, next);
    next[0] += sigma * rng.standardNormal();
    replay.add(s, a, r, next, false, false);
  }
  return replay;
}

describe('ProbabilisticEnsemble', () => {
  it('exposes mean, aleatoric and epistemic variance of the right shapes', () => {
    const m = new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 16 });
    expect(m.members).toBe(5);
    expect(Array.from(m.elites)).toEqual([0, 1, 2, 3, 4]);
    const { s, a } = uniformBatch(7, 0, 1);
    const p = m.predict(s, a, 7);
    for (const k of ['nextStates', 'stateAleatoricVar', 'stateEpistemicVar'] as const) expect(p[k].length).toBe(21);
    for (const k of ['rewards', 'terminatedProb', 'rewardAleatoricVar', 'rewardEpistemicVar', 'disagreement'] as const) expect(p[k].length).toBe(7);
    for (const v of p.stateAleatoricVar) expect(v).toBeGreaterThan(0);
    for (const v of p.stateEpistemicVar) expect(v).toBeGreaterThanOrEqual(0);
    m.dispose();
  });

  it('predictInto with a disagreement buffer gives predictMembers\' rows and predict\'s disagreement in one pass', () => {
    const m = new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 16, members: 4, elites: 3, seed: 4 });
    m.setElites([2, 0, 3]);
    const n = 9;
    const { s, a } = uniformBatch(n, 2, 1);
    const members = Int32Array.from({ length: n }, (_, i) => [2, 0, 3][i % 3]);
    const out = { nextStates: new Float32Array(n * 3), rewards: new Float64Array(n), terminatedProb: new Float64Array(n) };
    const disagreement = new Float64Array(n);
    m.predictInto(s, a, n, out, { members, disagreement });
    const want = m.predictMembers(s, a, members);
    const mean = m.predict(s, a, n);
    for (let b = 0; b < n; b++) {
      for (let k = 0; k < 3; k++) expect(out.nextStates[b * 3 + k]).toBeCloseTo(want.nextStates[b * 3 + k], 5);
      expect(out.rewards[b]).toBeCloseTo(want.rewards[b], 5);
      expect(out.terminatedProb[b]).toBeCloseTo(want.terminatedProb[b], 6);
      expect(disagreement[b]).toBeCloseTo(mean.disagreement[b], 7);
    }
    // Member 1 is no elite: the shared pass never ran it.
    expect(() => m.predictInto(s, a, n, out, { members: new Int32Array(n).fill(1), disagreement })).toThrow(/members\[0\] is 1, not one of the elites 2, 0, 3/);
    m.dispose();
  });

  it('predictMembers sends each row through its own member, in one grouped pass', () => {
    const m = new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 16, members: 4, elites: 4 });
    const n = 11;
    const { s, a } = uniformBatch(n, 1, 1);
    const mixed = Int32Array.from({ length: n }, (_, i) => (i * 7) % 4);
    const got = m.predictMembers(s, a, mixed);
    const perMember = [0, 1, 2, 3].map((k) => m.predictMembers(s, a, new Int32Array(n).fill(k)));
    for (let b = 0; b < n; b++) {
      const ref = perMember[mixed[b]];
      for (let k = 0; k < 3; k++) expect(got.nextStates[b * 3 + k]).toBeCloseTo(ref.nextStates[b * 3 + k], 5);
      expect(got.rewards[b]).toBeCloseTo(ref.rewards[b], 5);
      expect(got.terminatedProb[b]).toBeCloseTo(ref.terminatedProb[b], 5);
    }
    // predict's mean is the average of the members' means.
    const p = m.predict(s, a, n);
    for (let i = 0; i < n * 3; i++) {
      const avg = perMember.reduce((acc, r) => acc + r.nextStates[i], 0) / 4;
      expect(p.nextStates[i]).toBeCloseTo(avg, 5);
    }
    expect(() => m.predictMembers(s, a, new Int32Array(n).fill(4))).toThrow(/memberIndex\[0\] is 4, outside \[0, 4\)/);
    // Sampling adds the member's own noise, reproducibly for a seed.
    const draw1 = m.predictMembers(s, a, mixed, npRandom(3).rng);
    expect(m.predictMembers(s, a, mixed, npRandom(3).rng)).toEqual(draw1);
    expect(draw1.nextStates).not.toEqual(got.nextStates);
    m.dispose();
  });

  it('keeps log-variance inside its soft bounds even far from any data', () => {
    const m = new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 16 });
    const [lo, hi, max, min] = tf.tidy(() => {
      const h = m.heads(tf.mul(tf.randomNormal([1, 64, 4], 0, 1, 'float32', 1), 1e3) as tf.Tensor3D);
      const lv = h.logvar as tf.Tensor3D;
      return [tf.min(lv), tf.max(lv), tf.max(m.maxLogvar), tf.min(m.minLogvar)].map((t) => t.arraySync() as number);
    });
    expect(hi).toBeLessThanOrEqual(max + 1e-4); // soft: the lower softplus adds at most log(1 + e^-(max - min))
    expect(lo).toBeGreaterThanOrEqual(min - 1e-5);
    m.dispose();
  });

  it('learns the noise level (aleatoric) and disagrees more far from the data (epistemic)', async () => {
    const sigma = 0.1;
    const m = new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 32, members: 5, elites: 3 });
    const res = await trainWorldModel(m, noisyReplay(2000, sigma), { steps: 800, batchSize: 128, lr: 3e-3, logEvery: 200 });
    expect(res.elites).toHaveLength(3);
    const scores = res.memberHeldOutLoss ?? [];
    const worstElite = Math.max(...(res.elites ?? []).map((e) => scores[e]));
    const rest = scores.filter((_, i) => !(res.elites ?? []).includes(i));
    for (const r of rest) expect(r).toBeGreaterThanOrEqual(worstElite);

    const near = uniformBatch(300, 7, 1);
    const pNear = m.predict(near.s, near.a, 300);
    let noisyVar = 0;
    let quietVar = 0;
    for (let b = 0; b < 300; b++) {
      noisyVar += pNear.stateAleatoricVar[b * 3] / 300;
      quietVar += pNear.stateAleatoricVar[b * 3 + 1] / 300;
    }
    expect(noisyVar).toBeGreaterThan(sigma * sigma * 0.5);
    expect(noisyVar).toBeLessThan(sigma * sigma * 2);
    expect(quietVar).toBeLessThan(noisyVar / 5);

    const far = uniformBatch(300, 8, 5);
    const pFar = m.predict(far.s, far.a, 300);
    const mean = (xs: Float32Array): number => xs.reduce((x, y) => x + y, 0) / xs.length;
    expect(mean(pFar.disagreement)).toBeGreaterThan(10 * mean(pNear.disagreement));
    m.dispose();
  }, 30_000);

  it('refuses bad elite settings', () => {
    expect(() => new ProbabilisticEnsemble({ stateSize: 3, action: box, members: 3, elites: 4 })).toThrow(/elites: expected an integer in \[1, 3\]/);
    const m = new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 8, members: 3, elites: 2 });
    expect(() => m.setElites([0, 3])).toThrow(/member 3 is outside/);
    m.dispose();
  });

  it('trains every member on its own bootstrap, so members differ', async () => {
    const m = new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 16, members: 3 });
    await trainWorldModel(m, linearReplay(500, 4), { steps: 100, batchSize: 64, logEvery: 50 });
    const { s, a } = uniformBatch(20, 9, 1);
    const p = m.predict(s, a, 20);
    expect(Math.max(...p.stateEpistemicVar)).toBeGreaterThan(0);
    m.dispose();
  });
});
