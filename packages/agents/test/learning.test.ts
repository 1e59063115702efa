import { initBackend } from '@reverie/nn';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainDynaDQN } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('DQN learns CartPole-v1', () => {
  it('gets well above a random policy (~22) within 8,000 real steps (seed 0)', async () => {
    // Stops at the first evaluation whose mean over 3 greedy episodes reaches 150.
    const r = await trainDynaDQN({ model: 'none', seed: 0, maxEnvSteps: 8000, evalEvery: 1000, evalEpisodes: 3, targetReturn: 150, stopAtTarget: true });
    expect(r.stepsToTarget, JSON.stringify(r.curve.map((p) => [p.envSteps, p.meanReturn]))).not.toBeNull();
    expect(Math.max(...r.curve.map((p) => p.meanReturn))).toBeGreaterThanOrEqual(150);
    expect(r.syntheticAdded).toBe(0);
  });
});

describe('neural Dyna learns CartPole-v1 from k-step model returns', () => {
  it('reaches a mean greedy return of 300 within 5,000 real steps (seed 2; DQN alone is at 44 there)', async () => {
    // The defaults: a 5-member ensemble, 20-step imagined returns, one planning update per real step.
    const r = await trainDynaDQN({ model: 'ensemble', seed: 2, maxEnvSteps: 5000, evalEvery: 1000, evalEpisodes: 3, targetReturn: 300, stopAtTarget: true });
    expect(r.stepsToTarget, JSON.stringify(r.curve.map((p) => [p.envSteps, p.meanReturn]))).not.toBeNull();
    expect(r.modelTrainings).toBeGreaterThan(0);
    expect(r.syntheticAdded).toBeGreaterThan(0);
  }, 120_000);
});
