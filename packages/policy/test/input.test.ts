import { describe, expect, it } from 'vitest';
import { npRandom } from '@reverie/core';
import { createPolicy, epsilonGreedy, PolicyInputError, QPolicy, type MlpQSpec, type Policy } from '@reverie/policy';
import { randomObs, randomTensors } from './helpers.js';

const SPEC: MlpQSpec = { kind: 'mlp-q', obsShape: [4], numActions: 2, hidden: [64, 64], activation: 'relu' };
const policy = (): Policy => createPolicy(SPEC, randomTensors(SPEC, 1));

function expectInputError(fn: () => void, message: string | RegExp): void {
  expect(fn).toThrow(PolicyInputError);
  expect(fn).toThrow(message);
}

describe('input checks', () => {
  it('names the batch row of a NaN or infinite observation', () => {
    const p = policy();
    const obs = randomObs(8, 4, 1);
    obs[5 * 4 + 2] = NaN;
    expectInputError(() => p.act(obs, 8, new Int32Array(8)), 'obs row 5 has a non-finite value NaN at feature 2');
    obs[5 * 4 + 2] = 0;
    obs[7 * 4] = -Infinity;
    expectInputError(() => p.qValues(obs, 8, new Float32Array(16)), 'obs row 7 has a non-finite value -Infinity at feature 0');
    // Rows past the batch are not read, so they are not checked either.
    expect(() => p.act(obs, 7, new Int32Array(7))).not.toThrow();
  });

  it('rejects short buffers and bad batch sizes', () => {
    const p = policy();
    const obs = randomObs(4, 4, 2);
    expectInputError(() => p.act(obs, 5, new Int32Array(5)), 'obs has 16 values; batch 5 × obsSize 4 needs 20');
    expectInputError(() => p.act(obs, 4, new Int32Array(3)), 'actions has 3 values; batch 4 needs 4');
    expectInputError(() => p.act(obs, 4, new Int32Array(4), { values: new Float32Array(2) }), 'extras.values has 2 values; batch 4 needs 4');
    expectInputError(() => p.act(obs, 4, new Int32Array(4), { probs: new Float32Array(7) }), 'extras.probs has 7 values; batch 4 × numActions 2 needs 8');
    expectInputError(() => p.qValues(obs, 4, new Float32Array(7)), 'out has 7 values; batch 4 × numActions 2 needs 8');
    expectInputError(() => p.act(obs, 1.5, new Int32Array(4)), 'batch must be an integer >= 0, got 1.5');
    expectInputError(() => p.act(obs, -1, new Int32Array(4)), 'batch must be an integer >= 0, got -1');
  });

  it('rejects arrays of the wrong type', () => {
    const p = policy();
    // What a JavaScript caller (no type checker) could pass.
    const obs64 = new Float64Array(4) as unknown as Float32Array;
    const plainActions = [0] as unknown as Int32Array;
    expectInputError(() => p.act(obs64, 1, new Int32Array(1)), 'obs must be a Float32Array, got Float64Array');
    expectInputError(() => p.act(randomObs(1, 4, 3), 1, plainActions), 'actions must be a Int32Array, got Array');
  });

  it('rejects a q-table state index that is fractional or out of range', () => {
    const p = createPolicy({ kind: 'q-table', numStates: 4, numActions: 2 }, { q: new Float32Array(8) });
    expectInputError(() => p.act(Float32Array.of(1, 4), 2, new Int32Array(2)), 'obs row 1: state index must be an integer in [0, 4), got 4');
    expectInputError(() => p.act(Float32Array.of(0.5), 1, new Int32Array(1)), 'obs row 0: state index must be an integer in [0, 4), got 0.5');
  });
});

describe('act allocates nothing per call', () => {
  it('reuses the same scratch buffers and constructs no typed arrays once grown', () => {
    const p = createPolicy(SPEC, randomTensors(SPEC, 1));
    if (!(p instanceof QPolicy)) throw new Error('createPolicy returned something other than a QPolicy');
    const scratch = p.scratch;
    const obs = randomObs(100, 4, 4);
    const actions = new Int32Array(100);
    const extras = { values: new Float32Array(100), probs: new Float32Array(200) };
    p.act(obs, 100, actions, extras);
    const before = [...scratch.buffers()];
    expect(scratch.capacity).toBe(128);

    const Original = globalThis.Float32Array;
    let constructed = 0;
    globalThis.Float32Array = new Proxy(Original, {
      construct(target, args) {
        constructed++;
        return Reflect.construct(target, args);
      },
    });
    try {
      for (const batch of [1, 16, 100, 64, 100]) p.act(obs, batch, actions, extras);
      p.qValues(obs, 100, extras.probs);
    } finally {
      globalThis.Float32Array = Original;
    }
    expect(constructed).toBe(0);
    expect(scratch.buffers().every((b, i) => b === before[i])).toBe(true);

    p.act(randomObs(129, 4, 5), 129, new Int32Array(129));
    expect(scratch.capacity).toBe(256); // a larger batch grows it once
    expect(scratch.buffers()[0]).not.toBe(before[0]);
  });
});

describe('epsilonGreedy', () => {
  const obs = randomObs(2000, 4, 6);

  it('with epsilon 0 is the greedy action and draws nothing', () => {
    const p = policy();
    const greedy = new Int32Array(2000);
    p.act(obs, 2000, greedy);
    const { rng } = npRandom(3);
    const actions = new Int32Array(2000);
    epsilonGreedy(p, obs, 2000, actions, 0, rng);
    expect(Array.from(actions)).toEqual(Array.from(greedy));
    expect(rng.random()).toBe(npRandom(3).rng.random()); // the stream has not moved
  });

  it('replaces about epsilon of the rows with uniform draws, reproducibly from a seed', () => {
    const p = policy();
    const greedy = new Int32Array(2000);
    p.act(obs, 2000, greedy);
    const run = (seed: number) => {
      const actions = new Int32Array(2000);
      epsilonGreedy(p, obs, 2000, actions, 0.5, npRandom(seed).rng);
      return actions;
    };
    const a = run(11);
    expect(Array.from(run(11))).toEqual(Array.from(a));
    // A row differs from greedy when it explores (p = 0.5) and draws the other action (p = 1/2).
    const changed = a.reduce((n, v, i) => n + (v !== greedy[i] ? 1 : 0), 0);
    expect(changed / 2000).toBeGreaterThan(0.2);
    expect(changed / 2000).toBeLessThan(0.3);
  });

  it('rejects epsilon outside [0, 1]', () => {
    expectInputError(() => epsilonGreedy(policy(), obs, 1, new Int32Array(1), 1.5, npRandom(0).rng), 'epsilon must be in [0, 1], got 1.5');
    expectInputError(() => epsilonGreedy(policy(), obs, 1, new Int32Array(1), NaN, npRandom(0).rng), 'epsilon must be in [0, 1], got NaN');
  });
});
