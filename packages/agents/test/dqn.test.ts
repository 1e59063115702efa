import { npRandom } from '@reverie/core';
import { initBackend, tf } from '@reverie/nn';
import { beforeAll, describe, expect, it } from 'vitest';
import { DQN, dqnTargets, huberLoss, type DqnBatch } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('dqnTargets', () => {
  it('double DQN: the online net picks the action, the target net values it; terminated rows do not bootstrap', () => {
    const r = tf.tensor1d([1, 0.5, -1]);
    const term = tf.tensor1d([0, 1, 0]);
    const online = tf.tensor2d([[1, 2], [5, 0], [0, 3]]); // argmax: 1, 0, 1
    const target = tf.tensor2d([[10, 4], [7, 9], [2, -6]]);
    // row 0: 1 + 0.9·4 = 4.6; row 1: terminated → 0.5; row 2: -1 + 0.9·(-6) = -6.4
    expect(values(dqnTargets(r, term, online, target, 0.9))).toEqual([4.6, 0.5, -6.4].map((x) => expect.closeTo(x, 5)));
    // Classic DQN takes the max of the target net: 1 + 9, 0.5, -1 + 1.8.
    expect(values(dqnTargets(r, term, online, target, 0.9, false))).toEqual([10, 0.5, 0.8].map((x) => expect.closeTo(x, 5)));
    tf.dispose([r, term, online, target]);
  });
});

describe('huberLoss', () => {
  it('is quadratic inside delta and linear beyond', () => {
    const pred = tf.tensor1d([0, 0.5, 3, -2]);
    const target = tf.tensor1d([0, 0, 0, 0]);
    // 0, 0.125, 1·(3 − 0.5) = 2.5, 1.5 → mean 1.03125
    expect(values(huberLoss(pred, target))[0]).toBeCloseTo(1.03125, 6);
    // delta 2: 0, 0.125, 2·(3 − 1) = 4, 0.5·4 = 2 → mean 1.53125
    expect(values(huberLoss(pred, target, 2))[0]).toBeCloseTo(1.53125, 6);
    tf.dispose([pred, target]);
  });
});

function batch(rows: { s: number[]; a: number; r: number; s2: number[]; term: 0 | 1; trunc: 0 | 1 }[]): DqnBatch & { truncated: Uint8Array } {
  return {
    size: rows.length,
    obs: Float32Array.from(rows.flatMap((x) => x.s)),
    actions: Float32Array.from(rows.map((x) => x.a)),
    rewards: Float32Array.from(rows.map((x) => x.r)),
    nextObs: Float32Array.from(rows.flatMap((x) => x.s2)),
    terminated: Uint8Array.from(rows.map((x) => x.term)),
    truncated: Uint8Array.from(rows.map((x) => x.trunc)),
  };
}

describe('DQN', () => {
  it('bootstraps through a truncation but not through a termination', () => {
    const agent = new DQN({ stateSize: 2, numActions: 3, hidden: [8], gamma: 0.5, seed: 3 });
    const s2 = [0.3, -0.7];
    const b = batch([
      { s: [0, 0], a: 0, r: 1, s2, term: 0, trunc: 1 },
      { s: [0, 0], a: 1, r: 1, s2, term: 1, trunc: 0 },
    ]);
    const qOnline = agent.online.qValues(Float32Array.from(s2), 1);
    const qTarget = agent.target.qValues(Float32Array.from(s2), 1);
    const best = qOnline.indexOf(Math.max(...qOnline));
    const y = agent.targets(b);
    expect(y[0]).toBeCloseTo(1 + 0.5 * qTarget[best], 5);
    expect(y[1]).toBeCloseTo(1, 6);
    // n-step rows bootstrap with their own discount (γ^k), passed per call.
    expect(agent.targets(b, 0.125)[0]).toBeCloseTo(1 + 0.125 * qTarget[best], 5);
    expect(() => agent.update(b, true, 1.5)).toThrow(/gamma: expected a number in \[0, 1\], got 1.5/);
    agent.dispose();
  });

  it('hard target update copies the online net every K updates, and only then', () => {
    const agent = new DQN({ stateSize: 2, numActions: 2, hidden: [8], target: { kind: 'hard', every: 3 }, lr: 0.05, seed: 1 });
    const b = batch([{ s: [1, 0], a: 0, r: 1, s2: [0, 1], term: 0, trunc: 0 }]);
    const x = Float32Array.from([0.2, 0.4]);
    const initial = agent.target.qValues(x, 1);
    agent.update(b);
    agent.update(b);
    expect(Array.from(agent.target.qValues(x, 1))).toEqual(Array.from(initial));
    expect(Array.from(agent.online.qValues(x, 1))).not.toEqual(Array.from(initial));
    agent.update(b);
    expect(Array.from(agent.target.qValues(x, 1))).toEqual(Array.from(agent.online.qValues(x, 1)));
    agent.dispose();
  });

  it('Polyak update moves the target by tau toward the online weights', () => {
    const agent = new DQN({ stateSize: 2, numActions: 2, hidden: [4], target: { kind: 'polyak', tau: 0.25 }, lr: 0.05, seed: 2 });
    const before = agent.target.weights[0].dataSync().slice();
    agent.update(batch([{ s: [1, 0], a: 1, r: 1, s2: [0, 1], term: 1, trunc: 0 }]));
    const online = agent.online.weights[0].dataSync();
    const after = agent.target.weights[0].dataSync();
    for (let i = 0; i < after.length; i++) expect(after[i]).toBeCloseTo(0.25 * online[i] + 0.75 * before[i], 6);
    agent.dispose();
  });

  it('leaves the target alone on update(batch, false) until updateTargetNow moves it once', () => {
    const agent = new DQN({ stateSize: 2, numActions: 2, hidden: [4], target: { kind: 'polyak', tau: 0.25 }, lr: 0.05, seed: 3 });
    const before = agent.target.weights[0].dataSync().slice();
    const b = batch([{ s: [1, 0], a: 1, r: 1, s2: [0, 1], term: 1, trunc: 0 }]);
    agent.update(b, false);
    agent.update(b, false);
    expect(Array.from(agent.target.weights[0].dataSync())).toEqual(Array.from(before));
    agent.updateTargetNow(1);
    const online = agent.online.weights[0].dataSync();
    const after = agent.target.weights[0].dataSync();
    for (let i = 0; i < after.length; i++) expect(after[i]).toBeCloseTo(0.25 * online[i] + 0.75 * before[i], 6);
    agent.dispose();
  });

  it('learns a one-step bandit: Q(s, a) → r(a)', () => {
    const agent = new DQN({ stateSize: 1, numActions: 2, hidden: [16], lr: 0.01, seed: 0 });
    const b = batch([
      { s: [1], a: 0, r: 1, s2: [0], term: 1, trunc: 0 },
      { s: [1], a: 1, r: -1, s2: [0], term: 1, trunc: 0 },
    ]);
    for (let i = 0; i < 300; i++) agent.update(b);
    const q = agent.online.qValues(Float32Array.from([1]), 1);
    expect(q[0]).toBeCloseTo(1, 1);
    expect(q[1]).toBeCloseTo(-1, 1);
    expect(agent.greedy([1])).toBe(0);
    agent.dispose();
  });

  it('leaks no tensors over many updates, actions and target syncs', () => {
    const agent = new DQN({ stateSize: 4, numActions: 2, hidden: [32, 32], target: { kind: 'hard', every: 10 }, seed: 0 });
    const rows = Array.from({ length: 32 }, (_, i) => ({ s: [i / 32, 0, 1, -1], a: i % 2, r: 1, s2: [0, i / 32, 0, 1], term: (i % 5 === 0 ? 1 : 0) as 0 | 1, trunc: 0 as const }));
    const b = batch(rows);
    const rng = npRandom(0).rng;
    agent.update(b); // Adam creates its slots on the first step
    agent.greedy([0, 0, 0, 0]);
    const start = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) {
      agent.update(b);
      agent.act([0.1, 0.2, 0.3, 0.4], 0.1, rng);
      agent.actBatch(b.obs, 32, 0.1, rng);
      agent.targets(b);
    }
    expect(tf.memory().numTensors).toBe(start);
    agent.dispose();
  });
});
