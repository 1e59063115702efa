import type { Env } from '@reverie/envs';
import { PlanningError, requireCount, requireSeed } from './errors.js';
import type { Planner } from './planner.js';

export interface EvaluateOptions {
  episodes: number;
  /** Episode i resets with seed + i (the vector envs' convention), so runs are repeatable and comparable. */
  seed: number;
  /**
   * Writes the planner's input state for the env's current situation. Default: the dynamics' `stateFromEnv`
   * when it has one (the true env, a latent encoder), else the env's observation.
   */
  stateOf?: (env: Env, out: Float32Array) => void;
  /** Called after each episode, e.g. for a progress bar. */
  onEpisode?: (episode: number, episodeReturn: number, length: number) => void;
}

export interface EvaluateResult {
  /** Undiscounted return of each episode (ended by termination or the env's time limit). */
  returns: number[];
  lengths: number[];
  meanReturn: number;
  /** Population standard deviation (NumPy's default ddof = 0). */
  stdReturn: number;
  /** Decisions per second of time spent inside `planner.act` (env stepping excluded). */
  decisionsPerSecond: number;
}

/** Runs whole episodes with the planner choosing every action (MPC: replan at every step). */
export function evaluatePlanner(env: Env, planner: Planner, options: EvaluateOptions): EvaluateResult {
  const episodes = requireCount('evaluatePlanner', 'episodes', options?.episodes);
  const seed = requireSeed('evaluatePlanner', options.seed);
  if (seed === undefined) throw new PlanningError('evaluatePlanner: seed is required, so evaluations are repeatable');
  const stateOf = resolveStateOf(env, planner, options.stateOf);
  const state = new Float32Array(planner.dynamics.stateSize);
  const returns: number[] = [];
  const lengths: number[] = [];
  let actSeconds = 0;
  let decisions = 0;
  for (let ep = 0; ep < episodes; ep++) {
    env.reset({ seed: seed + ep });
    planner.reset();
    let total = 0;
    let length = 0;
    for (;;) {
      stateOf(env, state);
      const t0 = performance.now();
      const action = planner.act(state);
      actSeconds += (performance.now() - t0) / 1000;
      decisions++;
      const r = env.step(action);
      total += r.reward;
      length++;
      if (r.terminated || r.truncated) break;
    }
    returns.push(total);
    lengths.push(length);
    options.onEpisode?.(ep, total, length);
  }
  const meanReturn = returns.reduce((a, b) => a + b, 0) / episodes;
  const variance = returns.reduce((a, b) => a + (b - meanReturn) ** 2, 0) / episodes;
  return { returns, lengths, meanReturn, stdReturn: Math.sqrt(variance), decisionsPerSecond: decisions / actSeconds };
}

function resolveStateOf(env: Env, planner: Planner, given: EvaluateOptions['stateOf']): (env: Env, out: Float32Array) => void {
  if (given !== undefined) return given;
  const dynamics = planner.dynamics;
  if (typeof dynamics.stateFromEnv === 'function') return (e, out) => dynamics.stateFromEnv?.(e, out);
  const obsSize = env.observationSpace.flatSize;
  if (obsSize !== dynamics.stateSize) {
    throw new PlanningError(
      `evaluatePlanner: ${env.id} observations have ${obsSize} numbers but the planner's dynamics expect states of ${dynamics.stateSize}; pass stateOf`,
    );
  }
  return (e, out) => e.writeObservation(out, 0);
}
