import { npRandom } from '@reverie/core';
import { make, makeVec } from '@reverie/envs';
import { DynaQ, runEpisodes } from '@reverie/tabular';
import { bareCartPole, bareQPlanning } from './baselines.js';
import { measure, type Measurement } from './measure.js';

export interface BenchSettings {
  reps: number;
  minSeconds: number;
}

/** Random actions drawn once up front, so the timed loops measure the env and nothing else. */
function randomBits(count: number): Uint8Array {
  const { rng } = npRandom(7);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.integers(0, 2);
  return out;
}

export function cartPoleSingle(s: BenchSettings): Measurement {
  const env = make('CartPole-v1');
  env.reset({ seed: 0 });
  const actions = randomBits(1 << 16);
  let k = 0;
  return measure('CartPole-v1 single env step()', 10_000, (batch) => {
    for (let i = 0; i < batch; i++) {
      const r = env.step(actions[k++ & 0xffff]);
      if (r.terminated || r.truncated) env.reset();
    }
  }, s.reps, s.minSeconds);
}

export function cartPoleVector(n: number, s: BenchSettings): Measurement {
  const vec = makeVec('CartPole-v1', n);
  vec.reset({ seed: 0 });
  const pool = 64;
  const actions = Array.from({ length: pool }, (_, j) => Float64Array.from(randomBits(n + j).subarray(j)));
  let k = 0;
  const steps = Math.max(1, Math.floor(100_000 / n));
  return measure(`CartPole-v1 vector n=${n} (env-steps)`, steps * n, () => {
    for (let t = 0; t < steps; t++) vec.step(actions[k++ & (pool - 1)]);
  }, s.reps, s.minSeconds);
}

export function cartPoleBare(n: number, s: BenchSettings): Measurement {
  const run = bareCartPole(n);
  const actions = randomBits(1 << 16);
  const steps = Math.max(1, Math.floor(100_000 / n));
  return measure(`bare CartPole loop n=${n} (baseline)`, steps * n, () => run(steps, actions), s.reps, s.minSeconds);
}

export function taxiSingle(s: BenchSettings): Measurement {
  const env = make('Taxi-v3');
  env.reset({ seed: 0 });
  const { rng } = npRandom(3);
  const actions = Uint8Array.from({ length: 1 << 16 }, () => rng.integers(0, 6));
  let k = 0;
  return measure('Taxi-v3 single env step()', 10_000, (batch) => {
    for (let i = 0; i < batch; i++) {
      const r = env.step(actions[k++ & 0xffff]);
      if (r.terminated || r.truncated) env.reset();
    }
  }, s.reps, s.minSeconds);
}

/** Planning backups of Dyna-Q on Taxi after 200 real episodes have filled its model. */
export function dynaQPlanning(s: BenchSettings): Measurement {
  const env = make('Taxi-v3');
  const agent = new DynaQ({ numStates: 500, numActions: 6, planningSteps: 5, seed: 0 });
  runEpisodes(env, agent, { episodes: 200, seed: 0 });
  return measure('Dyna-Q planning updates (Taxi-v3 model)', 100_000, (batch) => agent.plan(batch), s.reps, s.minSeconds);
}

export function qPlanningBare(s: BenchSettings): Measurement {
  const run = bareQPlanning(500, 6);
  return measure('bare Q-backup loop (baseline)', 100_000, run, s.reps, s.minSeconds);
}
