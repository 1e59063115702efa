import { describe, expect, it } from 'vitest';
import { EnvError, make, makeVec } from '@reverie/envs';

/** Steps a single env with the same action stream a vector env gets, resetting like next-step autoreset. */
function singleTrajectory(seed: number, actions: number[]): { obs: number[][]; rewards: number[]; done: boolean[] } {
  const env = make('CartPole-v1');
  let observation = env.reset({ seed }).observation as Float32Array;
  const obs: number[][] = [];
  const rewards: number[] = [];
  const done: boolean[] = [];
  let pending = false;
  for (const a of actions) {
    if (pending) {
      observation = env.reset().observation as Float32Array;
      rewards.push(0);
      done.push(false);
      pending = false;
    } else {
      const r = env.step(a);
      observation = r.observation as Float32Array;
      rewards.push(r.reward);
      done.push(r.terminated || r.truncated);
      pending = r.terminated || r.truncated;
    }
    obs.push(Array.from(observation));
  }
  return { obs, rewards, done };
}

describe('makeVec', () => {
  const n = 4;
  // Always pushing right ends CartPole episodes within a few dozen steps, so autoreset happens.
  const actions = Array.from({ length: 120 }, (_, t) => (t % 7 === 0 ? 0 : 1));

  it('seeds sub-env i with seed + i and autoresets on the next step (Gymnasium 1.x default)', () => {
    const vec = makeVec('CartPole-v1', n);
    vec.reset({ seed: 10 });
    const expected = Array.from({ length: n }, (_, i) => singleTrajectory(10 + i, actions));
    let resets = 0;
    for (let t = 0; t < actions.length; t++) {
      const { observations, rewards, terminated, truncated } = vec.step(new Float64Array(n).fill(actions[t]));
      for (let i = 0; i < n; i++) {
        expect(Array.from(observations.subarray(i * 4, i * 4 + 4))).toEqual(expected[i].obs[t]);
        expect(rewards[i]).toBe(expected[i].rewards[t]);
        expect(terminated[i] === 1 || truncated[i] === 1).toBe(expected[i].done[t]);
        if (expected[i].done[t]) resets++;
      }
    }
    expect(resets).toBeGreaterThan(n);
  });

  it('same-step mode returns the reset observation and keeps the final one', () => {
    const next = makeVec('CartPole-v1', 1);
    const same = makeVec('CartPole-v1', 1, { autoreset: 'same-step' });
    next.reset({ seed: 3 });
    same.reset({ seed: 3 });
    const right = new Float64Array([1]);
    let ended = false;
    for (let t = 0; t < 100 && !ended; t++) {
      const a = next.step(right);
      const finalObs = Array.from(a.observations);
      const b = same.step(right);
      expect(b.rewards[0]).toBe(a.rewards[0]);
      if (a.terminated[0] === 1) {
        ended = true;
        expect(same.hasFinal[0]).toBe(1);
        expect(Array.from(same.finalObservations)).toEqual(finalObs);
        // The reset observation is what next-step mode shows one step later.
        next.step(right);
        expect(Array.from(b.observations)).toEqual(Array.from(next.observations));
      } else {
        expect(same.hasFinal[0]).toBe(0);
      }
    }
    expect(ended).toBe(true);
  });

  it('truncates at the registered time limit', () => {
    const vec = makeVec('CartPole-v1', 2, { maxEpisodeSteps: 5 });
    vec.reset({ seed: 0 });
    const actions = new Float64Array([0, 1]);
    for (let t = 0; t < 4; t++) expect(Array.from(vec.step(actions).truncated)).toEqual([0, 0]);
    expect(Array.from(vec.step(actions).truncated)).toEqual([1, 1]);
  });

  it('reuses its buffers between steps', () => {
    const vec = makeVec('CartPole-v1', 2);
    vec.reset({ seed: 0 });
    const a = vec.step(new Float64Array([0, 1]));
    const b = vec.step(new Float64Array([0, 1]));
    expect(b.observations).toBe(a.observations);
    expect(b.rewards).toBe(a.rewards);
  });

  it('rejects bad input with errors that name the problem', () => {
    const vec = makeVec('CartPole-v1', 2);
    expect(() => vec.step(new Float64Array([0, 1]))).toThrow(/before reset/);
    vec.reset({ seed: 0 });
    expect(() => vec.step(new Float64Array([0]))).toThrow(/expected 2 actions/);
    expect(() => vec.step(new Float64Array([0, 2]))).toThrow(/action 2 for env 1 is outside/);
    expect(() => vec.step(new Float64Array([0, Number.NaN]))).toThrow(EnvError);
    expect(() => vec.reset({ seed: 1.5 })).toThrow(/non-negative integer, got 1.5/);
    expect(() => makeVec('CartPole-v1', 0)).toThrow(/positive integer/);
    expect(() => makeVec('NoSuchEnv-v0', 2)).toThrow(/Unknown environment id 'NoSuchEnv-v0'/);
    expect(() => makeVec('CartPole-v1', 2, { autoreset: 'sometimes' as 'same-step' })).toThrow(/autoreset/);
  });
});
