import { describe, expect, it } from 'vitest';
import { createPolicy, decodePolicy, encodePolicyWeights, MlpQPolicy, type MlpQSpec, type QTableSpec } from '@reverie/policy';
import { maxAbsDiff, randomObs, randomTensors, referenceQ } from './helpers.js';

const ARCHITECTURES: MlpQSpec[] = [
  { kind: 'mlp-q', obsShape: [4], numActions: 2, hidden: [64, 64], activation: 'relu' },
  { kind: 'mlp-q', obsShape: [3], numActions: 5, hidden: [], activation: 'relu' },
  { kind: 'mlp-q', obsShape: [2, 3], numActions: 3, hidden: [17, 8, 5], activation: 'tanh' },
];

describe('mlp-q forward pass', () => {
  for (const spec of ARCHITECTURES) {
    it(`matches a float64 reference for obs ${spec.obsShape.join('x')} hidden [${spec.hidden.join(',')}] ${spec.activation}`, () => {
      const tensors = randomTensors(spec, 1);
      const policy = createPolicy(spec, tensors);
      expect(policy).toBeInstanceOf(MlpQPolicy);
      for (const batch of [1, 257]) {
        const obs = randomObs(batch, policy.obsSize, batch);
        const q = new Float32Array(batch * spec.numActions);
        policy.qValues(obs, batch, q);
        expect(maxAbsDiff(q, referenceQ(spec, tensors, obs, batch))).toBeLessThan(1e-5);
      }
    });
  }

  it('gives each row the same Q-values whatever batch it is evaluated in', () => {
    const spec = ARCHITECTURES[0];
    const policy = createPolicy(spec, randomTensors(spec, 2));
    const obs = randomObs(40, 4, 3);
    const all = new Float32Array(80);
    policy.qValues(obs, 40, all);
    const one = new Float32Array(2);
    for (const row of [0, 17, 39]) {
      policy.qValues(obs.slice(row * 4, row * 4 + 4), 1, one);
      expect(Array.from(one)).toEqual(Array.from(all.subarray(row * 2, row * 2 + 2)));
    }
  });

  it('act: argmax with the lowest index on ties, values = max Q, probs = softmax of Q', () => {
    // A single linear layer with zero weights: Q equals the bias, the same for every observation.
    const spec: MlpQSpec = { kind: 'mlp-q', obsShape: [1], numActions: 4, hidden: [], activation: 'relu' };
    const policy = createPolicy(spec, { 'l0.weight': new Float32Array(4), 'l0.bias': Float32Array.of(1, 3, 3, -2) });
    const actions = new Int32Array(2);
    const values = new Float32Array(2);
    const probs = new Float32Array(8);
    policy.act(Float32Array.of(0.5, -7), 2, actions, { values, probs });
    expect(Array.from(actions)).toEqual([1, 1]);
    expect(Array.from(values)).toEqual([3, 3]);
    const z = [1, 3, 3, -2].map(Math.exp);
    const sum = z.reduce((a, b) => a + b, 0);
    for (let a = 0; a < 4; a++) expect(probs[a]).toBeCloseTo(z[a] / sum, 6);
    expect(Array.from(probs.subarray(4))).toEqual(Array.from(probs.subarray(0, 4)));
  });

  it('act agrees with the argmax of qValues on random inputs', () => {
    const spec = ARCHITECTURES[2];
    const policy = createPolicy(spec, randomTensors(spec, 4));
    const batch = 300;
    const obs = randomObs(batch, policy.obsSize, 5);
    const q = new Float32Array(batch * 3);
    policy.qValues(obs, batch, q);
    const actions = new Int32Array(batch);
    policy.act(obs, batch, actions);
    for (let i = 0; i < batch; i++) {
      const row = Array.from(q.subarray(i * 3, i * 3 + 3));
      expect(actions[i]).toBe(row.indexOf(Math.max(...row)));
    }
  });
});

describe('q-table policy', () => {
  const spec: QTableSpec = { kind: 'q-table', numStates: 3, numActions: 3 };
  const q = Float32Array.of(0, 1, 2, 5, 5, -1, -3, -4, -3.5);

  it('acts greedily on the row of each state index, lowest index on ties', () => {
    const policy = decodePolicy(encodePolicyWeights(spec, { q }));
    expect(policy.obsSize).toBe(1);
    const actions = new Int32Array(4);
    const values = new Float32Array(4);
    policy.act(Float32Array.of(2, 0, 1, 2), 4, actions, { values });
    expect(Array.from(actions)).toEqual([0, 2, 0, 0]);
    expect(Array.from(values)).toEqual([-3, 2, 5, -3]);
    const out = new Float32Array(3);
    policy.qValues(Float32Array.of(1), 1, out);
    expect(Array.from(out)).toEqual([5, 5, -1]);
  });
});
