import { Discrete, make } from '@reverie/envs';
import { DynaQ, runEpisodes } from '@reverie/tabular';
import type { RunRecord } from './results.js';

/** One Dyna-Q training run: everything needed to reproduce it, and nothing else (it crosses threads). */
export interface DynaQJob {
  env: string;
  planning: number;
  seed: number;
  episodes: number;
  alpha: number;
  gamma: number;
  epsilon: number;
}

/** Called after every episode with its 0-based index, undiscounted return and length. */
export type EpisodeCallback = (episode: number, ret: number, steps: number) => void;

/**
 * Trains a fresh Dyna-Q agent (Q-learning when `planning` is 0) on a fresh env. The agent and the
 * env's first reset are both seeded with `job.seed`, so a job gives the same numbers on any thread.
 */
export function runDynaQJob(job: DynaQJob, onEpisode?: EpisodeCallback): RunRecord {
  const env = make(job.env);
  const obs = env.observationSpace;
  const act = env.actionSpace;
  if (!(obs instanceof Discrete) || !(act instanceof Discrete)) {
    throw new Error(`${job.env}: Dyna-Q needs discrete observation and action spaces, got ${obs} and ${act}`);
  }
  const agent = new DynaQ({
    numStates: obs.n,
    numActions: act.n,
    alpha: job.alpha,
    gamma: job.gamma,
    epsilon: job.epsilon,
    planningSteps: job.planning,
    seed: job.seed,
    tieBreak: 'random',
  });
  const out = runEpisodes(env, agent, { episodes: job.episodes, seed: job.seed, onEpisode });
  return {
    planning: job.planning,
    seed: job.seed,
    rewards: Array.from(out.rewards),
    steps: Array.from(out.steps),
    wallSeconds: out.wallSeconds,
    updates: out.updates,
  };
}
