import { beforeAll, describe, expect, it } from 'vitest';
import { npRandom } from '@reverie/core';
import { tf } from '@reverie/nn';
import { DeterministicWorldModel, loadWorldModelWeights, ProbabilisticEnsemble, saveWorldModel, trainWorldModel } from '@reverie/models';
import { linearReplay, testBackend } from './helpers.js';

beforeAll(testBackend);

const box = { type: 'box', size: 1 } as const;

describe('tensor memory', () => {
  it('stays flat over many predict, train and load iterations', async () => {
    const det = new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 16 });
    const ens = new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 16, members: 3, elites: 2 });
    const replay = linearReplay(200, 1);
    const s = new Float32Array(32 * 3).fill(0.1);
    const a = new Float32Array(32).fill(0.2);
    const members = Int32Array.from({ length: 32 }, (_, i) => i % 3);
    const round = async (): Promise<void> => {
      await trainWorldModel(det, replay, { steps: 20, batchSize: 32, logEvery: 10 });
      await trainWorldModel(ens, replay, { steps: 20, batchSize: 32, logEvery: 10 });
      for (let i = 0; i < 10; i++) {
        det.predict(s, a, 32);
        ens.predict(s, a, 32);
        ens.predictMembers(s, a, members, npRandom(i).rng);
      }
      loadWorldModelWeights(ens, saveWorldModel(ens));
    };
    await round(); // first use may create lasting backend state
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await round();
    expect(tf.memory().numTensors).toBe(before);
    // Besides what existed before, exactly the models' own variables are alive.
    const own = Object.keys(det.namedVariables()).length + Object.keys(ens.namedVariables()).length;
    det.dispose();
    ens.dispose();
    expect(tf.memory().numTensors).toBe(before - own);
  });

  it('leaves nothing behind when a model is built and disposed', () => {
    const before = tf.memory().numTensors;
    new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 16 }).dispose();
    new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 16, members: 3, elites: 2 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
