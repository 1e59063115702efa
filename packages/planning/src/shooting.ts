import { type NumpyGenerator, npRandom } from '@reverie/core';
import type { ActionSpec, BatchDynamics } from './dynamics.js';
import { PlanningError, checkState, requireSeed } from './errors.js';
import { type Action, type Planner, type RolloutOptions, argmaxFirst, rolloutConfig } from './planner.js';
import { RolloutEvaluator } from './rollout.js';

export interface RandomShootingOptions extends RolloutOptions {
  horizon: number;
  /** N action sequences drawn per decision. */
  candidates: number;
  /**
   * Re-propose the previous decision's best sequence, shifted by one step (its tail drawn fresh), as candidate 0
   * (default true). It costs one candidate and keeps a good plan from being lost to an unlucky draw.
   */
  warmStart?: boolean;
}

const OWNER = 'RandomShooting';

/**
 * Random-shooting MPC: N sequences of H actions drawn uniformly (discrete indices, or uniform in [low, high]),
 * each scored by its predicted return in one batched rollout; returns the first action of the best (the first
 * such on ties, which favours the warm-start plan).
 */
export class RandomShooting implements Planner {
  readonly horizon: number;
  readonly candidates: number;
  private readonly evaluator: RolloutEvaluator;
  private readonly rng: NumpyGenerator;
  private readonly warmStart: boolean;
  private readonly previous: Float32Array;
  private hasPrevious = false;
  private readonly actionOut: Float32Array;

  constructor(
    readonly dynamics: BatchDynamics,
    options: RandomShootingOptions,
  ) {
    if (options === null || typeof options !== 'object') throw new PlanningError(`${OWNER}: options { horizon, candidates } are required`);
    const cfg = rolloutConfig(OWNER, dynamics, options, options.horizon, options.candidates);
    this.horizon = cfg.horizon;
    this.candidates = cfg.candidates;
    this.rng = npRandom(requireSeed(OWNER, options.seed)).rng;
    this.warmStart = options.warmStart ?? true;
    this.evaluator = new RolloutEvaluator(dynamics, cfg);
    this.previous = new Float32Array(cfg.horizon * this.evaluator.actionSize);
    this.actionOut = new Float32Array(this.evaluator.actionSize);
  }

  act(state: Float32Array): Action {
    checkState(OWNER, state, this.dynamics.stateSize);
    const { plans, returns, actionSize: A } = this.evaluator;
    const seqLen = this.horizon * A;
    drawUniform(this.dynamics.actionSpec, plans, 0, this.candidates * this.horizon, this.rng);
    if (this.warmStart && this.hasPrevious) {
      // Shift: step t of the new plan is step t + 1 of the old; the freshly drawn last step stays.
      for (let i = 0; i < seqLen - A; i++) plans[i] = this.previous[i + A];
    }
    this.evaluator.evaluate(state, this.rng);
    const best = argmaxFirst(returns, this.candidates);
    for (let i = 0; i < seqLen; i++) this.previous[i] = plans[best * seqLen + i];
    this.hasPrevious = true;
    return firstAction(this.dynamics.actionSpec, this.previous, this.actionOut);
  }

  reset(): void {
    this.hasPrevious = false;
  }
}

/** Fills `count` actions from `offset` (in action units) with uniform draws from the action space. */
export function drawUniform(spec: ActionSpec, plans: Float32Array, offset: number, count: number, rng: NumpyGenerator): void {
  if (spec.kind === 'discrete') {
    for (let i = offset; i < offset + count; i++) plans[i] = rng.integers(0, spec.n);
    return;
  }
  const A = spec.low.length;
  for (let i = offset; i < offset + count; i++) {
    for (let k = 0; k < A; k++) plans[i * A + k] = rng.uniform(spec.low[k], spec.high[k]);
  }
}

/** The first action of a plan: an index, or `out` filled with the first A lanes. */
export function firstAction(spec: ActionSpec, plan: Float32Array, out: Float32Array): Action {
  if (spec.kind === 'discrete') return plan[0];
  for (let k = 0; k < out.length; k++) out[k] = plan[k];
  return out;
}
