import type { NumpyGenerator } from '@reverie/core';
import { type BatchDynamics, type Termination, type ValueFn, checkDynamics } from './dynamics.js';
import { PlanningError, requireChoice, requireCount, requireInRange, requireNonNegativeFinite } from './errors.js';
import type { RolloutConfig } from './rollout.js';

/**
 * A discrete action index, or a continuous action. A returned Float32Array is the planner's own buffer,
 * overwritten by the next `act`: copy it to keep it (`Env.step` copies it already).
 */
export type Action = number | Float32Array;

/** Model-predictive control: plan from `state`, return the first action, replan at the next state. */
export interface Planner {
  readonly dynamics: BatchDynamics;
  /** `state` is in the dynamics' layout (see `BatchDynamics.stateFromEnv`), length `dynamics.stateSize`, finite. */
  act(state: Float32Array): Action;
  /** Forgets the warm start (the plan carried from the previous decision); call at every episode start. */
  reset(): void;
}

/** Options every planner shares: how a rollout is scored. */
export interface RolloutOptions {
  /**
   * Rollouts per candidate (default: dynamics.ensembleSize, so each member predicts once). With an ensemble,
   * particle p follows one member for the whole horizon and the candidate's return is the particles' mean.
   */
  particles?: number;
  /** γ in (0, 1] (default 1: CartPole and Pendulum returns are undiscounted sums). */
  discount?: number;
  /** How a predicted termination ends a rollout's reward (default 'hard'); see `Termination`. */
  termination?: Termination;
  /**
   * λ >= 0 (default 0): λ · disagreement is subtracted from every predicted reward, steering plans away from
   * where the ensemble members disagree (model exploitation). Needs `dynamics.providesDisagreement`.
   */
  disagreementPenalty?: number;
  /** A learned value V(s_H) added at the end of the horizon (weighted by γ^H and the continue probability). */
  terminalValue?: ValueFn;
  /**
   * A cost c(s') >= 0 of every predicted next state, subtracted from that step's reward (discounted and
   * alive-weighted like it): e.g. how far s' lies outside the model's training data, so plans stay where the
   * model was fitted. It sees states in the dynamics' layout.
   */
  stateCost?: ValueFn;
  /** Seeds the planner's NumPy-exact generator; omitted, the OS supplies entropy. */
  seed?: number;
}

/** Validates the shared options against the dynamics and fills in defaults. */
export function rolloutConfig(
  owner: string,
  dynamics: BatchDynamics,
  options: RolloutOptions,
  horizon: number,
  candidates: number,
): RolloutConfig {
  checkDynamics(owner, dynamics);
  const o = options ?? {};
  const penalty = requireNonNegativeFinite(owner, 'disagreementPenalty', o.disagreementPenalty ?? 0);
  if (penalty > 0 && !dynamics.providesDisagreement) {
    throw new PlanningError(`${owner}: disagreementPenalty ${penalty} needs dynamics that provide disagreement (an ensemble)`);
  }
  for (const hook of ['terminalValue', 'stateCost'] as const) {
    if (o[hook] !== undefined && typeof o[hook] !== 'function') {
      throw new PlanningError(`${owner}: ${hook} must be a function (states, batch, out) => void`);
    }
  }
  return {
    horizon: requireCount(owner, 'horizon', horizon),
    candidates: requireCount(owner, 'candidates', candidates),
    particles: requireCount(owner, 'particles', o.particles ?? dynamics.ensembleSize),
    discount: requireInRange(owner, 'discount', o.discount ?? 1, 0, 1, { openLow: true }),
    termination: requireChoice(owner, 'termination', o.termination ?? 'hard', ['hard', 'soft'] as const),
    disagreementPenalty: penalty,
    terminalValue: o.terminalValue,
    stateCost: o.stateCost,
  };
}

/** Index of the largest of values[offset..offset+n), ties broken uniformly at random; allocation-free. */
export function argmaxRandomTie(values: ArrayLike<number>, offset: number, n: number, rng: NumpyGenerator): number {
  let best = -Infinity;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = values[offset + i];
    if (v > best) {
      best = v;
      count = 1;
    } else if (v === best) {
      count++;
    }
  }
  if (count === 0) return 0; // all NaN or -Infinity: nothing to prefer
  let pick = count === 1 ? 0 : rng.integers(0, count);
  for (let i = 0; i < n; i++) {
    if (values[offset + i] === best && pick-- === 0) return i;
  }
  return 0;
}

/** Index of the largest of values[0..n), the first on ties. */
export function argmaxFirst(values: ArrayLike<number>, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * Moves the indices of the k largest values into idx[0..k) (in no particular order), Hoare's selection:
 * O(n) on average and allocation-free, unlike sorting the population every CEM iteration. Values must not be NaN.
 */
export function selectTop(values: Float64Array, idx: Int32Array, n: number, k: number): void {
  for (let i = 0; i < n; i++) idx[i] = i;
  let lo = 0;
  let hi = n - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[idx[(lo + hi) >>> 1]];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[idx[i]] > pivot) i++;
      while (values[idx[j]] < pivot) j--;
      if (i <= j) {
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        i++;
        j--;
      }
    }
    // Now [lo..j] >= pivot >= [i..hi], and anything between equals the pivot.
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return;
  }
}
