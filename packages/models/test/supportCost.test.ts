import { beforeAll, describe, expect, it } from 'vitest';
import { DeterministicWorldModel, dataSupportCost, trainWorldModel } from '@reverie/models';
import { linearReplay, testBackend } from './helpers.js';

beforeAll(testBackend);

describe('dataSupportCost', () => {
  it('costs each state by the standard deviations it lies beyond the margin of the training data', () => {
    const model = new DeterministicWorldModel({ stateSize: 3, action: { type: 'box', size: 1 }, hidden: 8 });
    model.inputStats = { mean: Float32Array.of(1, 0, 0, 0), std: Float32Array.of(0.5, 1, 2, 1) };
    const cost = dataSupportCost(model, { weight: 3, margin: 2 });
    const states = Float32Array.of(1, 0, 0, 2, 0, 0, -0.5, 2.5, -7);
    const out = new Float64Array(3);
    cost(states, 3, out);
    // Row 1: |2 − 1| / 0.5 = 2, on the margin. Row 2: 3 − 2 = 1 and 2.5 − 2 = 0.5 and 3.5 − 2 = 1.5, 3 in all.
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(0);
    expect(out[2]).toBeCloseTo(3 * (1 - Math.exp(-3)), 12);
    // Bounded by the weight however far out.
    cost(Float32Array.of(1e6, 0, 0), 1, out);
    expect(out[0]).toBeCloseTo(3, 12);
    expect(() => dataSupportCost(model, { weight: 0 })).toThrow(/weight must be a positive number, got 0/);
    expect(() => dataSupportCost(model, { weight: 1, margin: -1 })).toThrow(/margin must be a number >= 0/);
    model.dispose();
  });

  it('follows the normaliser that training fits', async () => {
    const model = new DeterministicWorldModel({ stateSize: 3, action: { type: 'box', size: 1 }, hidden: 8 });
    const cost = dataSupportCost(model, { weight: 1, margin: 0 });
    const out = new Float64Array(1);
    // Before training the normaliser is the identity: |0.5| is 0.5 stds out.
    cost(Float32Array.of(0.5, 0, 0), 1, out);
    expect(out[0]).toBeCloseTo(1 - Math.exp(-0.5), 6);
    // Data scaled by 0.1 has stds near 0.06: the same state is now ~8 stds out in dimension 0 alone.
    await trainWorldModel(model, linearReplay(400, 2, 0.1), { steps: 2, batchSize: 32 });
    cost(Float32Array.of(0.5, 0, 0), 1, out);
    expect(out[0]).toBeGreaterThan(1 - Math.exp(-5));
    model.dispose();
  });
});
