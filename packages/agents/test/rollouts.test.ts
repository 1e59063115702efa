import { npRandom, TransitionReplay } from '@reverie/core';
import { initBackend, tf } from '@reverie/nn';
import { beforeAll, describe, expect, it } from 'vitest';
import { branchedRollouts, MixedSampler, type RolloutModel, trainDynaDQN } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/**
 * A toy 2-D model: s' = s + (a == 1 ? 1 : -1)·[0.1, 0], reward = s0, terminated when |s0'| > 1;
 * disagreement = |s0| (members agree near the origin and diverge away from it).
 */
class ToyModel implements RolloutModel {
  readonly members = 3;
  readonly stateSize = 2;
  predict(states: ArrayLike<number>, _actions: ArrayLike<number>, batch: number): { disagreement: Float32Array } {
    return { disagreement: Float32Array.from({ length: batch }, (_, b) => Math.abs(states[b * 2])) };
  }
  predictMembers(states: ArrayLike<number>, actions: ArrayLike<number>, memberIndex: Int32Array) {
    const n = memberIndex.length;
    const nextStates = new Float32Array(n * 2);
    const rewards = new Float32Array(n);
    const terminatedProb = new Float32Array(n);
    for (let b = 0; b < n; b++) {
      nextStates[b * 2] = states[b * 2] + (actions[b] === 1 ? 0.1 : -0.1);
      nextStates[b * 2 + 1] = states[b * 2 + 1];
      rewards[b] = states[b * 2];
      terminatedProb[b] = Math.abs(nextStates[b * 2]) > 1 ? 1 : 0;
    }
    return { nextStates, rewards, terminatedProb };
  }
}

function realReplay(start: number[]): TransitionReplay {
  const real = new TransitionReplay({ capacity: 10, obsSize: 2, actionSize: 1 });
  real.add(start, 0, 0, start, false, false);
  return real;
}

const alwaysRight = (_s: Float32Array, batch: number) => new Int32Array(batch).fill(1);

describe('branchedRollouts', () => {
  it('writes k transitions per start with the right shapes and chains states through the model', () => {
    const real = realReplay([0, 0.5]);
    const synthetic = new TransitionReplay({ capacity: 100, obsSize: 2, actionSize: 1 });
    const stats = branchedRollouts({ model: new ToyModel(), real, synthetic, policy: alwaysRight, starts: 4, horizon: 3, maxDisagreement: Infinity, rng: npRandom(0).rng });
    expect(stats).toMatchObject({ added: 12, cut: 0, terminated: 0, meanLength: 3 });
    expect(synthetic.size).toBe(12);
    // Rows are stored step by step: 4 starts at step 0, then 4 at step 1, ...
    for (let h = 0; h < 3; h++) {
      for (let b = 0; b < 4; b++) {
        const i = h * 4 + b;
        expect(synthetic.obs[i * 2]).toBeCloseTo(0.1 * h, 5);
        expect(synthetic.nextObs[i * 2]).toBeCloseTo(0.1 * (h + 1), 5);
        expect(synthetic.obs[i * 2 + 1]).toBeCloseTo(0.5, 6);
        expect(synthetic.actions[i]).toBe(1);
        expect(synthetic.rewards[i]).toBeCloseTo(0.1 * h, 5);
        expect(synthetic.truncated[i]).toBe(0);
      }
    }
  });

  it('cuts a row once disagreement passes the threshold', () => {
    const real = realReplay([0, 0]);
    const synthetic = new TransitionReplay({ capacity: 100, obsSize: 2, actionSize: 1 });
    // Disagreement at steps 0..: 0, 0.1, 0.2, 0.3 → with threshold 0.25, steps 0-2 are kept and step 3 is cut.
    const stats = branchedRollouts({ model: new ToyModel(), real, synthetic, policy: alwaysRight, starts: 2, horizon: 10, maxDisagreement: 0.25, rng: npRandom(0).rng });
    expect(stats.added).toBe(6);
    expect(stats.cut).toBe(2);
    expect(stats.meanLength).toBe(3);
  });

  it('stops a row at a predicted termination and marks it terminal', () => {
    const real = realReplay([0.95, 0]);
    const synthetic = new TransitionReplay({ capacity: 100, obsSize: 2, actionSize: 1 });
    const stats = branchedRollouts({ model: new ToyModel(), real, synthetic, policy: alwaysRight, starts: 1, horizon: 5, maxDisagreement: Infinity, rng: npRandom(0).rng });
    expect(stats).toMatchObject({ added: 1, terminated: 1 });
    expect(synthetic.terminated[0]).toBe(1);
  });
});

describe('branchedRollouts after some rows ended', () => {
  it('hands the policy exactly the surviving rows', () => {
    const real = new TransitionReplay({ capacity: 10, obsSize: 2, actionSize: 1 });
    real.add([0.95, 0], 0, 0, [0.95, 0], false, false); // ends at its first step
    real.add([0, 0], 0, 0, [0, 0], false, false); // runs the whole horizon
    const synthetic = new TransitionReplay({ capacity: 100, obsSize: 2, actionSize: 1 });
    const seen: [number, number][] = [];
    const policy = (states: Float32Array, batch: number) => {
      seen.push([states.length, batch * 2]);
      return new Int32Array(batch).fill(1);
    };
    const stats = branchedRollouts({ model: new ToyModel(), real, synthetic, policy, starts: 8, horizon: 3, maxDisagreement: Infinity, rng: npRandom(3).rng });
    expect(stats.terminated).toBeGreaterThan(0);
    expect(stats.terminated).toBeLessThan(8);
    expect(seen.length).toBe(3);
    for (const [length, expected] of seen) expect(length).toBe(expected);
  });
});

describe('branchedRollouts with n-step targets', () => {
  const synth = () => new TransitionReplay({ capacity: 100, obsSize: 2, actionSize: 1 });

  it('stores one transition per row: branch state, first action, discounted reward sum, last state', () => {
    const synthetic = synth();
    const stats = branchedRollouts({ model: new ToyModel(), real: realReplay([0, 0.5]), synthetic, policy: alwaysRight, starts: 4, horizon: 3, maxDisagreement: Infinity, rng: npRandom(0).rng, nStepGamma: 0.5 });
    expect(stats).toMatchObject({ added: 4, cut: 0, terminated: 0, meanLength: 1 });
    for (let i = 0; i < 4; i++) {
      expect(Array.from(synthetic.obs.subarray(i * 2, i * 2 + 2))).toEqual([0, 0.5]);
      expect(synthetic.nextObs[i * 2]).toBeCloseTo(0.3, 5);
      expect(synthetic.rewards[i]).toBeCloseTo(0 + 0.5 * 0.1 + 0.25 * 0.2, 5);
      expect(synthetic.terminated[i]).toBe(0);
    }
  });

  it('ends a row at a predicted termination, keeps the first action, and drops a row cut midway', () => {
    const synthetic = synth();
    // Left first, then right: 0.85 → 0.75 → 0.85 → 0.95 (horizon 3, no end); from 0.95 right: 1.05 ends it.
    const leftThenRight = (_s: Float32Array, batch: number, step: number) => new Int32Array(batch).fill(step === 0 ? 0 : 1);
    branchedRollouts({ model: new ToyModel(), real: realReplay([0.85, 0]), synthetic, policy: leftThenRight, starts: 1, horizon: 3, maxDisagreement: Infinity, rng: npRandom(0).rng, nStepGamma: 1 });
    expect(synthetic.actions[0]).toBe(0);
    expect(synthetic.rewards[0]).toBeCloseTo(0.85 + 0.75 + 0.85, 5);
    expect(synthetic.nextObs[0]).toBeCloseTo(0.95, 5);
    const ended = synth();
    const s2 = branchedRollouts({ model: new ToyModel(), real: realReplay([0.95, 0]), synthetic: ended, policy: alwaysRight, starts: 1, horizon: 3, maxDisagreement: Infinity, rng: npRandom(0).rng, nStepGamma: 1 });
    expect(s2).toMatchObject({ added: 1, terminated: 1 });
    expect([ended.terminated[0], ended.nextObs[0]]).toEqual([1, expect.closeTo(1.05, 5)]);
    const cut = synth();
    const s3 = branchedRollouts({ model: new ToyModel(), real: realReplay([0, 0]), synthetic: cut, policy: alwaysRight, starts: 2, horizon: 10, maxDisagreement: 0.25, rng: npRandom(0).rng, nStepGamma: 0.9 });
    expect(s3).toMatchObject({ added: 0, cut: 2 });
  });

  it('keeps each row with its own branch point while other rows end', () => {
    const real = new TransitionReplay({ capacity: 10, obsSize: 2, actionSize: 1 });
    real.add([0.95, 7], 0, 0, [0.95, 7], false, false); // ends at its first step
    real.add([0, 3], 0, 0, [0, 3], false, false); // lives the whole horizon
    const synthetic = synth();
    const stats = branchedRollouts({ model: new ToyModel(), real, synthetic, policy: alwaysRight, starts: 16, horizon: 3, maxDisagreement: Infinity, rng: npRandom(5).rng, nStepGamma: 1 });
    expect(stats.added).toBe(16);
    expect(stats.terminated).toBeGreaterThan(0);
    expect(stats.terminated).toBeLessThan(16);
    for (let i = 0; i < 16; i++) {
      const tag = synthetic.obs[i * 2 + 1];
      expect(synthetic.nextObs[i * 2 + 1]).toBe(tag);
      if (tag === 7) expect([synthetic.rewards[i], synthetic.terminated[i]]).toEqual([expect.closeTo(0.95, 5), 1]);
      else expect([synthetic.rewards[i], synthetic.terminated[i], synthetic.nextObs[i * 2]]).toEqual([expect.closeTo(0.3, 5), 0, expect.closeTo(0.3, 5)]);
    }
  });
});

describe('MixedSampler', () => {
  it('mixes real and synthetic rows by realRatio, all real while there is no synthetic data', () => {
    const real = new TransitionReplay({ capacity: 10, obsSize: 1, actionSize: 1 });
    const synthetic = new TransitionReplay({ capacity: 10, obsSize: 1, actionSize: 1 });
    real.add([1], 0, 1, [1], false, false);
    const sampler = new MixedSampler(real, synthetic, 8, 0.25);
    const rng = npRandom(0).rng;
    expect(Array.from(sampler.sample(rng).rewards)).toEqual(new Array(8).fill(1));
    synthetic.add([2], 1, 2, [2], true, false);
    const b = sampler.sample(rng);
    expect(Array.from(b.rewards)).toEqual([1, 1, 2, 2, 2, 2, 2, 2]);
    expect(sampler.lastReal).toBe(2);
  });
});

describe('trainDynaDQN', () => {
  const short = { maxEnvSteps: 600, evalEvery: 300, evalEpisodes: 2, learningStarts: 200, hidden: [16], seed: 1 };

  it("model 'none' makes no synthetic data and trains no model", async () => {
    const r = await trainDynaDQN({ ...short, model: 'none' });
    expect(r.syntheticAdded).toBe(0);
    expect(r.modelTrainings).toBe(0);
    expect(r.updates).toBe(401);
    expect(r.curve.map((p) => p.envSteps)).toEqual([300, 600]);
  });

  const dyna = { ...short, model: 'ensemble' as const, modelStart: 200, modelTrainEvery: 200, modelTrainSteps: 20, modelHidden: 16, rolloutEvery: 100, rolloutStarts: 32, maxDisagreement: 1e9,
    rolloutTargets: 'one-step' as const, rolloutLength: { start: 1, end: 1, steps: 0 }, planningUpdates: 0 };

  it("model 'ensemble' trains the ensemble and adds rollouts", async () => {
    const r = await trainDynaDQN(dyna);
    expect(r.modelTrainings).toBe(3); // at env steps 200, 400, 600
    expect(r.syntheticAdded).toBe(32 * 5); // rollouts at 200, 300, ..., 600, k = 1
    expect(r.updates).toBe(401);
  });

  it("n-step targets: one stored row per start and rollout, planning updates on them", async () => {
    const r = await trainDynaDQN({ ...dyna, rolloutTargets: 'n-step', rolloutLength: { start: 3, end: 3, steps: 0 }, planningUpdates: 1 });
    expect(r.syntheticAdded).toBeGreaterThan(0);
    expect(r.syntheticAdded).toBeLessThanOrEqual(32 * 5);
    expect(r.updates).toBe(401 + 401); // one planning update per env step from the first rollout at 200
    await expect(trainDynaDQN({ ...dyna, rolloutTargets: 'n-step', rolloutLength: { start: 1, end: 3, steps: 100 } })).rejects.toThrow(/n-step targets need one fixed whole length/);
  });

  it('refuses a termination weight that is not a positive number', async () => {
    await expect(trainDynaDQN({ ...dyna, modelTerminationWeight: 0 })).rejects.toThrow(/modelTerminationWeight: expected a positive number, got 0/);
  });

  it('leaks no tensors per step: a run twice as long leaves the same count', async () => {
    // (@reverie/models' constructors leave their initial-value tensors alive: a fixed amount per model.)
    const leftBy = async (maxEnvSteps: number) => {
      const before = tf.memory().numTensors;
      await trainDynaDQN({ ...dyna, maxEnvSteps });
      return tf.memory().numTensors - before;
    };
    const none = tf.memory().numTensors;
    await trainDynaDQN({ ...short, model: 'none' });
    expect(tf.memory().numTensors).toBe(none);
    expect(await leftBy(1200)).toBe(await leftBy(600));
  });
});
