import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransitionReplay } from '@reverie/core';
import { DeterministicWorldModel, ProbabilisticEnsemble, trainWorldModel } from '@reverie/models';
import { linearReplay, testBackend } from './helpers.js';

const box = { type: 'box', size: 1 } as const;
let m: DeterministicWorldModel;

beforeAll(async () => {
  await testBackend();
  m = new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 8 });
});

afterAll(() => m.dispose());

describe('bad input', () => {
  it('a termination weight that is not a positive number', () => {
    expect(() => new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 8, terminationWeight: 0 })).toThrow(/terminationWeight: expected a positive number, got 0/);
    expect(() => new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 8, terminationWeight: Number.NaN })).toThrow(/terminationWeight/);
  });

  it('an empty replay', async () => {
    const empty = new TransitionReplay({ capacity: 10, obsSize: 3, actionSize: 1 });
    await expect(trainWorldModel(m, empty)).rejects.toThrow(/replay buffer is empty/);
  });

  it('a wrong state dimension', async () => {
    const four = new TransitionReplay({ capacity: 10, obsSize: 4, actionSize: 1 });
    four.add([0, 0, 0, 0], 0, 0, [0, 0, 0, 0], false, false);
    await expect(trainWorldModel(m, four)).rejects.toThrow(/state dimension: the replay holds 4-dimensional observations but the model expects 3/);
    expect(() => m.predict(new Float32Array(8), new Float32Array(2), 2)).toThrow(/states: expected 2 × 3 = 6 values, got 8 \(is the state dimension right\?\)/);
    expect(() => m.predict(new Float32Array(6), new Float32Array(3), 2)).toThrow(/actions: expected 2 × 1 = 2 values, got 3/);
  });

  it('NaN in the data', async () => {
    const replay = linearReplay(20, 1);
    replay.nextObs[7] = NaN; // written behind add()'s back
    await expect(trainWorldModel(m, replay)).rejects.toThrow(/replay: nextObs of transition 2 is NaN/);
    expect(() => m.predict(Float32Array.of(0, NaN, 0), Float32Array.of(0), 1)).toThrow(/states\[1\] \(row 0, column 1\) is NaN/);
  });

  it('an action outside a discrete space, or the wrong action size', async () => {
    const d = new DeterministicWorldModel({ stateSize: 3, action: { type: 'discrete', n: 2 }, hidden: 8 });
    expect(() => d.predict(new Float32Array(3), Float32Array.of(2), 1)).toThrow(/actions\[0\] is 2, not a valid action of discrete\(2\)/);
    const replay = linearReplay(20, 1); // continuous actions in [-1, 1]
    await expect(trainWorldModel(d, replay)).rejects.toThrow(/replay: action of transition 0 is .*, not a valid action of discrete\(2\)/);
    const wide = new ProbabilisticEnsemble({ stateSize: 3, action: { type: 'box', size: 2 }, hidden: 8 });
    await expect(trainWorldModel(wide, replay)).rejects.toThrow(/action size: the replay stores 1 floats per action but the model's box\(2\) action needs 2/);
    d.dispose();
    wide.dispose();
  });

  it('bad options and sizes', async () => {
    await expect(trainWorldModel(m, linearReplay(20, 1), { batchSize: 0 })).rejects.toThrow(/batchSize: expected a positive integer/);
    await expect(trainWorldModel(m, linearReplay(20, 1), { heldOutFraction: 1 })).rejects.toThrow(/heldOutFraction/);
    expect(() => new DeterministicWorldModel({ stateSize: 0, action: box })).toThrow(/stateSize: expected a positive integer/);
    expect(() => new DeterministicWorldModel({ stateSize: 3, action: { type: 'discrete', n: 0 } })).toThrow(/action: expected a positive n/);
  });
});
