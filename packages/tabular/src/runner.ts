import { TabularError, requireCount, requireNonNegativeInt } from './errors.js';
import type { TabularAgent } from './learner.js';

/**
 * The slice of a Gymnasium-style env with discrete observations that the runner drives;
 * `Env` from `@reverie/envs` satisfies it.
 */
export interface DiscreteEnv {
  reset(args?: { seed?: number }): { observation: unknown };
  step(action: number): { observation: unknown; reward: number; terminated: boolean; truncated: boolean };
  readonly observationSpace?: unknown;
  readonly actionSpace?: unknown;
}

export interface RunOptions {
  episodes: number;
  /** Seeds the env on the first reset only; later resets continue the env's own generator. */
  seed?: number;
  /** Cuts an episode after this many steps, as a truncation (bootstraps as usual). */
  maxStepsPerEpisode?: number;
  onEpisode?(index: number, episodeReturn: number, steps: number): void;
}

export interface RunResult {
  /** Undiscounted return of each episode. */
  rewards: number[];
  steps: number[];
  /** Q-updates (real and planned) the agent made during this run. */
  updates: number;
  wallSeconds: number;
}

/** Runs `episodes` episodes of act/observe; an episode ends on terminated or truncated. */
export function runEpisodes(env: DiscreteEnv, agent: TabularAgent, options: RunOptions): RunResult {
  const episodes = requireNonNegativeInt('runEpisodes', 'episodes', options.episodes);
  const maxSteps = options.maxStepsPerEpisode === undefined ? Infinity : requireCount('runEpisodes', 'maxStepsPerEpisode', options.maxStepsPerEpisode);
  checkSpaceSize('observationSpace', env.observationSpace, agent.numStates);
  checkSpaceSize('actionSpace', env.actionSpace, agent.numActions);
  const rewards: number[] = [];
  const steps: number[] = [];
  const updatesBefore = agent.updates;
  const start = performance.now();
  for (let ep = 0; ep < episodes; ep++) {
    const first = ep === 0 && options.seed !== undefined;
    let s = toState(env.reset(first ? { seed: options.seed } : {}).observation);
    let ret = 0;
    let t = 0;
    for (;;) {
      const a = agent.act(s);
      const res = env.step(a);
      const s2 = toState(res.observation);
      t++;
      ret += res.reward;
      // Only `terminated` stops bootstrapping: a truncated episode's next state still has value.
      agent.observe(s, a, res.reward, s2, res.terminated);
      if (res.terminated || res.truncated || t >= maxSteps) break;
      s = s2;
    }
    rewards.push(ret);
    steps.push(t);
    options.onEpisode?.(ep, ret, t);
  }
  return { rewards, steps, updates: agent.updates - updatesBefore, wallSeconds: (performance.now() - start) / 1000 };
}

function toState(observation: unknown): number {
  if (typeof observation !== 'number' || !Number.isInteger(observation)) {
    throw new TabularError(`runEpisodes: observation must be an integer state index, got ${String(observation)}`);
  }
  return observation;
}

/** Fails early when a Discrete space's size disagrees with the agent's table. */
function checkSpaceSize(field: string, space: unknown, expected: number): void {
  if (space === null || typeof space !== 'object' || !('n' in space)) return;
  const n = space.n;
  if (typeof n === 'number' && n !== expected) {
    throw new TabularError(`runEpisodes: env ${field} has n = ${n} but the agent expects ${expected}`);
  }
}
