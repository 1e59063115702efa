import { beforeAll, describe, expect, it } from 'vitest';
import { npRandom } from '@reverie/core';
import { tf } from '@reverie/nn';
import { DeterministicWorldModel, trainWorldModel } from '@reverie/models';
import { discreteReplay, linearReplay, linearStep, testBackend } from './helpers.js';

beforeAll(testBackend);

const box = { type: 'box', size: 1 } as const;

describe('DeterministicWorldModel', () => {
  it('predicts next states, rewards and termination probabilities of the right shapes', () => {
    const m = new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 16 });
    const p = m.predict(new Float32Array(15), new Float32Array(5), 5);
    expect(p.nextStates.length).toBe(15);
    expect(p.rewards.length).toBe(5);
    expect(p.terminatedProb.length).toBe(5);
    for (const v of p.terminatedProb) expect(v).toBeGreaterThan(0), expect(v).toBeLessThan(1);
    expect(m.inputSize).toBe(4);
    const d = new DeterministicWorldModel({ stateSize: 2, action: { type: 'discrete', n: 3 }, hidden: 8 });
    expect(d.inputSize).toBe(5);
    expect(d.predict(new Float32Array(4), Float32Array.of(0, 2), 2).nextStates.length).toBe(4);
    m.dispose();
    d.dispose();
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const make = (seed: number) => new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 16, seed });
    const s = Float32Array.of(0.1, 0.2, 0.3);
    const a = Float32Array.of(0.5);
    const [m1, m2, m3] = [make(1), make(1), make(2)];
    expect(m1.predict(s, a, 1)).toEqual(m2.predict(s, a, 1));
    expect(m1.predict(s, a, 1).nextStates).not.toEqual(m3.predict(s, a, 1).nextStates);
    for (const m of [m1, m2, m3]) m.dispose();
  });

  it('gets a gradient in every variable, and its loss falls on a fixed batch', async () => {
    const m = new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 32 });
    const replay = linearReplay(256, 3);
    const x = tf.tensor3d(m.encode(replay.obs, replay.actions, 256), [1, 256, 4]);
    const y = tf.randomNormal([1, 256, 4]) as tf.Tensor3D;
    const done = tf.zeros([1, 256, 1]) as tf.Tensor3D;
    const { grads } = tf.variableGrads(() => m.lossParts(x, y, done).objective, m.trainableVariables());
    for (const g of Object.values(grads)) expect(tf.norm(g).arraySync()).toBeGreaterThan(0);
    tf.dispose([x, y, done, grads]);

    // The full batch every step: the training loss must drop well below its start.
    const res = await trainWorldModel(m, replay, { steps: 150, batchSize: 256, lr: 3e-3, heldOutFraction: 0, logEvery: 10 });
    const first = res.history[0].loss;
    const last = res.history.at(-1)?.loss ?? Infinity;
    expect(last).toBeLessThan(first * 0.3);
    expect(res.memberHeldOutLoss).toBeNull();
    m.dispose();
  });

  it('fits a known linear system to a tight error on held-out data', async () => {
    const m = new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 64 });
    const res = await trainWorldModel(m, linearReplay(3000, 1), { steps: 1500, batchSize: 128, lr: 3e-3, logEvery: 250 });
    expect(res.history.length).toBe(6);
    expect(res.history.every((h) => h.heldOut !== null)).toBe(true);

    // Fresh states and actions never seen in training.
    const rng = npRandom(99).rng;
    const n = 500;
    const s = new Float32Array(n * 3);
    const a = new Float32Array(n);
    const want = new Float32Array(n * 3);
    const wantR = new Float32Array(n);
    const next = new Float32Array(3);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 3; k++) s[i * 3 + k] = rng.uniform(-1, 1);
      a[i] = rng.uniform(-1, 1);
      wantR[i] = linearStep(s.subarray(i * 3, i * 3 + 3), a[i], next);
      want.set(next, i * 3);
    }
    const p = m.predict(s, a, n);
    let err = 0;
    let energy = 0;
    for (let i = 0; i < n * 3; i++) {
      err += (p.nextStates[i] - want[i]) ** 2;
      energy += want[i] ** 2;
    }
    let rewardErr = 0;
    for (let i = 0; i < n; i++) rewardErr += (p.rewards[i] - wantR[i]) ** 2;
    expect(err / energy).toBeLessThan(1e-3); // relative MSE of the next state
    expect(Math.sqrt(err / (n * 3))).toBeLessThan(0.02);
    expect(Math.sqrt(rewardErr / n)).toBeLessThan(0.05); // rewards span about ±1.7
    m.dispose();
  }, 30_000);

  it('stops early when the held-out loss stalls and keeps the best weights', async () => {
    const m = new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 16 });
    const logged: number[] = [];
    // A high learning rate on little data: the held-out loss soon stops improving.
    const res = await trainWorldModel(m, linearReplay(200, 6), {
      steps: 5000, batchSize: 32, lr: 3e-2, logEvery: 20, patience: 3, minImprovement: 0, onLog: (e) => logged.push(e.step),
    });
    expect(res.stoppedEarly).toBe(true);
    expect(res.stepsRun).toBeLessThan(5000);
    expect(logged).toEqual(res.history.map((h) => h.step));
    const heldOut = res.history.map((h) => h.heldOut?.loss ?? Infinity);
    expect(res.memberHeldOutLoss?.[0]).toBeCloseTo(Math.min(...heldOut), 6);
    // The last three evaluations did not beat the best one.
    for (const l of heldOut.slice(-3)) expect(l).toBeGreaterThanOrEqual(Math.min(...heldOut));
    m.dispose();
  });

  it('learns a discrete-action system through the one-hot encoding', async () => {
    const m = new DeterministicWorldModel({ stateSize: 2, action: { type: 'discrete', n: 3 }, hidden: 32 });
    await trainWorldModel(m, discreteReplay(1000, 2), { steps: 600, batchSize: 128, lr: 3e-3 });
    const p = m.predict(Float32Array.of(0, 0, 0, 0, 0, 0), Float32Array.of(0, 1, 2), 3);
    const want = [0.1, 0, 0, 0.1, -0.1, -0.1];
    for (let i = 0; i < 6; i++) expect(Math.abs(p.nextStates[i] - want[i])).toBeLessThan(0.02);
    for (let i = 0; i < 3; i++) expect(Math.abs(p.rewards[i] - i)).toBeLessThan(0.1);
    m.dispose();
  });
});
