/** Greedy evaluation of a Q-network policy, all episodes stepped together with one forward pass per step. */
import { make } from '@reverie/envs';
import type { DQN } from './dqn.js';
import { argmax } from './dqn.js';

export interface EvalResult {
  returns: number[];
  mean: number;
}

/** `episodes` greedy episodes of `envId`, episode i reset with seed `seed + i`. */
export function evaluateGreedy(agent: DQN, envId: string, episodes: number, seed: number): EvalResult {
  const envs = Array.from({ length: episodes }, () => make(envId));
  const s = agent.online.stateSize;
  const obs = new Float32Array(episodes * s);
  const returns = new Array<number>(episodes).fill(0);
  const live: number[] = [];
  envs.forEach((env, i) => {
    obs.set(env.reset({ seed: seed + i }).observation as Float32Array, i * s);
    live.push(i);
  });
  const batch = new Float32Array(episodes * s);
  const n = agent.numActions;
  while (live.length > 0) {
    for (let j = 0; j < live.length; j++) batch.set(obs.subarray(live[j] * s, (live[j] + 1) * s), j * s);
    const q = agent.online.qValues(batch.subarray(0, live.length * s), live.length);
    const still: number[] = [];
    for (let j = 0; j < live.length; j++) {
      const i = live[j];
      const r = envs[i].step(argmax(q, j * n, n));
      returns[i] += r.reward;
      obs.set(r.observation as Float32Array, i * s);
      if (!r.terminated && !r.truncated) still.push(i);
    }
    live.splice(0, live.length, ...still);
  }
  return { returns, mean: returns.reduce((a, b) => a + b, 0) / episodes };
}
