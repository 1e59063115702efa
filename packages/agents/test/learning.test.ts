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
