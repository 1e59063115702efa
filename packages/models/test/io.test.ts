import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '@reverie/nn';
import {
  DeterministicWorldModel,
  loadWorldModel,
  loadWorldModelWeights,
  ProbabilisticEnsemble,
  saveWorldModel,
  trainWorldModel,
} from '@reverie/models';
import { linearReplay, testBackend } from './helpers.js';

beforeAll(testBackend);

const box = { type: 'box', size: 1 } as const;
const s = Float32Array.of(0.1, -0.4, 0.7, 0.3, 0.2, -0.9);
const a = Float32Array.of(0.5, -0.25);

describe('world model files', () => {
  it('round-trip a trained deterministic model to identical predictions', async () => {
    const m = new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 16 });
    await trainWorldModel(m, linearReplay(300, 1), { steps: 50, batchSize: 64, logEvery: 25 });
    const bytes = saveWorldModel(m, { env: 'Linear-v0' });
    const meta = decodeSafetensors(bytes).metadata;
    expect(meta).toMatchObject({ kind: 'deterministic', stateSize: '3', hidden: '16', layers: '2', env: 'Linear-v0' });
    expect(JSON.parse(meta.inputStats).mean).toHaveLength(4);

    const loaded = loadWorldModel(bytes);
    expect(loaded.kind).toBe('deterministic');
    expect(loaded.predict(s, a, 2)).toEqual(m.predict(s, a, 2));

    // Into an existing model built with another seed (so other weights).
    const other = new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 16, seed: 9 });
    expect(other.predict(s, a, 2)).not.toEqual(m.predict(s, a, 2));
    loadWorldModelWeights(other, bytes);
    expect(other.predict(s, a, 2)).toEqual(m.predict(s, a, 2));
    for (const x of [m, loaded, other]) x.dispose();
  });

  it('round-trip an ensemble with its elites and log-variance bounds', async () => {
    const m = new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 16, members: 4, elites: 2 });
    await trainWorldModel(m, linearReplay(300, 2), { steps: 60, batchSize: 64, logEvery: 20 });
    const loaded = loadWorldModel(saveWorldModel(m));
    expect(loaded.kind).toBe('ensemble');
    if (loaded.kind !== 'ensemble') return;
    expect(Array.from(loaded.elites)).toEqual(Array.from(m.elites));
    expect(loaded.predict(s, a, 2)).toEqual(m.predict(s, a, 2));
    const members = Int32Array.of(3, 1);
    expect(loaded.predictMembers(s, a, members)).toEqual(m.predictMembers(s, a, members));
    m.dispose();
    loaded.dispose();
  });

  it('refuses a file for another architecture, saying which, and leaves the model untouched', () => {
    const small = new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 16 });
    const wide = new DeterministicWorldModel({ stateSize: 3, action: box, hidden: 32 });
    const before = wide.predict(s, a, 2);
    expect(() => loadWorldModelWeights(wide, saveWorldModel(small))).toThrow(
      /another architecture \(hidden differs\): the file holds a deterministic \(state 3, action box\(1\), 2×16 hidden.*this model is a deterministic \(state 3, action box\(1\), 2×32 hidden/,
    );
    expect(wide.predict(s, a, 2)).toEqual(before);

    const ens = new ProbabilisticEnsemble({ stateSize: 3, action: box, hidden: 16 });
    expect(() => loadWorldModelWeights(ens, saveWorldModel(small))).toThrow(/kind differs/);
    const discrete = new DeterministicWorldModel({ stateSize: 3, action: { type: 'discrete', n: 2 }, hidden: 16 });
    expect(() => loadWorldModelWeights(discrete, saveWorldModel(small))).toThrow(/action differs.*action box\(1\).*action discrete\(2\)/);
    expect(() => loadWorldModel(encodeSafetensors({}, { format: 'other' }))).toThrow(/not a world-model file/);
    for (const x of [small, wide, ens, discrete]) x.dispose();
  });
});
