import { describe, expect, it } from 'vitest';
import { Discrete, make } from '@reverie/envs';
import { DynaQ, QLearning, runEpisodes } from '@reverie/tabular';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function sizes(id: string): { numStates: number; numActions: number } {
  const env = make(id);
  if (!(env.observationSpace instanceof Discrete) || !(env.actionSpace instanceof Discrete)) throw new Error(`${id} is not discrete`);
  return { numStates: env.observationSpace.n, numActions: env.actionSpace.n };
}

describe('with @reverie/envs toy-text environments', () => {
  it('Dyna-Q (n = 5) learns Taxi-v3 far beyond a random policy', () => {
    const agent = new DynaQ({ ...sizes('Taxi-v3'), planningSteps: 5, seed: 0 });
    const res = runEpisodes(make('Taxi-v3'), agent, { episodes: 300, seed: 0 });
    // A random policy averages about -770 per 200-step episode; the optimum is about +8.
    expect(mean(res.rewards.slice(-50))).toBeGreaterThan(-100);
    expect(res.updates).toBe(6 * res.steps.reduce((a, b) => a + b, 0));
  });

  it('random acting on Taxi-v3 stays far below that threshold (sanity check of the bound)', () => {
    const agent = new QLearning({ ...sizes('Taxi-v3'), epsilon: 1, seed: 0 });
    const res = runEpisodes(make('Taxi-v3'), agent, { episodes: 50, seed: 0 });
    expect(mean(res.rewards)).toBeLessThan(-500);
  });

  it('Dyna-Q (n = 50) solves DynaMaze-v0 in a few episodes', () => {
    const agent = new DynaQ({ ...sizes('DynaMaze-v0'), planningSteps: 50, seed: 0 });
    const res = runEpisodes(make('DynaMaze-v0'), agent, { episodes: 10, seed: 0 });
    expect(mean(res.steps.slice(2))).toBeLessThan(25);
  });
});
