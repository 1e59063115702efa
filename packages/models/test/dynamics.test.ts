import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@reverie/nn';
import { CEM } from '@reverie/planning';
import { DeterministicWorldModel, ProbabilisticEnsemble, WorldModelDynamics } from '../src/index.js';
import { testBackend } from './helpers.js';

beforeAll(testBackend);

function outputs(batch: number, S: number, withDisagreement = false) {
  return {
    nextStates: new Float32Array(batch * S),
    rewards: new Float64Array(batch),
    done: new Float64Array(batch),
    ...(withDisagreement ? { disagreement: new Float64Array(batch).fill(-1) } : {}),
  };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[i])));
}

const states = Float32Array.from({ length: 4 * 3 }, (_, i) => Math.sin(i) * 0.5);
const boxActions = Float32Array.of(0.1, -0.4, 0.9, -1);

describe('WorldModelDynamics', () => {
  it('copies a deterministic model\'s predictions into the planner buffers', () => {
    const model = new DeterministicWorldModel({ stateSize: 3, action: { type: 'box', size: 1 }, hidden: 8, seed: 1 });
    const dyn = new WorldModelDynamics(model, { low: [-2], high: [2] });
    expect(dyn.stateSize).toBe(3);
    expect(dyn.ensembleSize).toBe(1);
    expect(dyn.providesDisagreement).toBe(false);
    expect(dyn.actionSpec).toEqual({ kind: 'continuous', low: Float32Array.of(-2), high: Float32Array.of(2) });
    const out = outputs(4, 3);
    dyn.step(states, boxActions, 4, out);
    const want = model.predict(states, boxActions, 4);
    expect(Array.from(out.nextStates)).toEqual(Array.from(want.nextStates));
    // The planner's Float64 buffers get the unrounded values; predict's Float32 arrays hold them rounded.
    expect(Array.from(out.rewards, Math.fround)).toEqual(Array.from(want.rewards));
    expect(Array.from(out.done, Math.fround)).toEqual(Array.from(want.terminatedProb));
    model.dispose();
  });

  it('maps planner members 0..E-1 onto the ensemble elites and fills disagreement', () => {
    const model = new ProbabilisticEnsemble({ stateSize: 3, action: { type: 'discrete', n: 2 }, hidden: 8, members: 4, elites: 2, seed: 2 });
    model.setElites([3, 1]);
    const dyn = new WorldModelDynamics(model, { n: 2 });
    expect(dyn.ensembleSize).toBe(2);
    expect(dyn.providesDisagreement).toBe(true);
    expect(dyn.actionSpec).toEqual({ kind: 'discrete', n: 2 });
    const actions = Float32Array.of(0, 1, 1, 0);
    // Buffers longer than the batch: only the first rows are touched.
    const out = outputs(6, 3, true);
    dyn.step(states, actions, 4, out, Int32Array.of(0, 1, 1, 0));
    const want = model.predictMembers(states, actions, Int32Array.of(3, 1, 1, 3));
    // With a disagreement buffer every elite runs on every row (one shared pass), so allow float rounding.
    expectClose(out.nextStates.subarray(0, 12), want.nextStates);
    expectClose(out.rewards.subarray(0, 4), want.rewards);
    expect(Array.from(out.nextStates.subarray(12))).toEqual(new Array(6).fill(0));
    const mean = model.predict(states, actions, 4);
    expectClose(out.disagreement?.subarray(0, 4) ?? [], mean.disagreement);
    expect(out.disagreement?.[4]).toBe(-1);
    expect(Array.from(mean.disagreement).every((d) => d > 0)).toBe(true);
    // Without members the elite mean predicts.
    const meanOut = outputs(4, 3);
    dyn.step(states, actions, 4, meanOut);
    expect(Array.from(meanOut.nextStates)).toEqual(Array.from(mean.nextStates));
    // Without disagreement, rows go through their members' grouped pass: exactly predictMembers.
    const grouped = outputs(4, 3);
    dyn.step(states, actions, 4, grouped, Int32Array.of(0, 1, 1, 0));
    expect(Array.from(grouped.nextStates)).toEqual(Array.from(want.nextStates));
    expect(Array.from(grouped.rewards, Math.fround)).toEqual(Array.from(want.rewards));
    expect(() => dyn.step(states, actions, 4, outputs(4, 3), Int32Array.of(0, 2, 0, 0))).toThrow(/members\[1\] is 2, outside 0\.\.1/);
    model.dispose();
  });

  it('turns a diverged (non-finite) row into NaN instead of throwing', () => {
    const model = new DeterministicWorldModel({ stateSize: 3, action: { type: 'box', size: 1 }, hidden: 8 });
    const dyn = new WorldModelDynamics(model, { low: [-1], high: [1] });
    const s = states.slice();
    s[4] = Number.POSITIVE_INFINITY;
    const out = outputs(4, 3);
    dyn.step(s, boxActions, 4, out);
    expect(Number.isNaN(out.rewards[1])).toBe(true);
    expect(out.done[1]).toBe(1);
    expect(Number.isFinite(out.rewards[0]) && Number.isFinite(out.rewards[2])).toBe(true);
    model.dispose();
  });

  it('refuses an env whose action space the model was not built for', () => {
    const model = new DeterministicWorldModel({ stateSize: 3, action: { type: 'discrete', n: 2 }, hidden: 8 });
    expect(() => new WorldModelDynamics(model, { n: 3 })).toThrow(/Discrete\(3\).*built for/);
    expect(() => new WorldModelDynamics(model, { low: [-1], high: [1] })).toThrow(/Box\(1\)/);
    model.dispose();
  });

  it('keeps the tensor count flat over many CEM decisions, with and without a disagreement penalty', () => {
    const model = new ProbabilisticEnsemble({ stateSize: 3, action: { type: 'discrete', n: 2 }, hidden: 8, members: 3, seed: 3 });
    const dyn = new WorldModelDynamics(model, { n: 2 });
    const planners = [
      new CEM(dyn, { horizon: 5, population: 20, elites: 4, iterations: 2, particles: 1, termination: 'soft', seed: 1 }),
      new CEM(dyn, { horizon: 5, population: 20, elites: 4, iterations: 2, particles: 3, disagreementPenalty: 1, seed: 2 }),
    ];
    const state = Float32Array.of(0.1, -0.2, 0.05);
    for (const p of planners) p.act(state); // first use may create lasting backend state
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) for (const p of planners) p.act(state);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
