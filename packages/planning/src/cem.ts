import { type NumpyGenerator, npRandom } from '@reverie/core';
import { CategoricalPlanDistribution, GaussianPlanDistribution, type PlanDistribution } from './cemDist.js';
import type { BatchDynamics } from './dynamics.js';
import { PlanningError, checkState, requireCount, requireInRange, requireSeed } from './errors.js';
import { type Action, type Planner, type RolloutOptions, rolloutConfig, selectTop } from './planner.js';
import { RolloutEvaluator } from './rollout.js';

export interface CEMOptions extends RolloutOptions {
  horizon: number;
  /** Candidate sequences per iteration. */
  population: number;
  /** How many of the best candidates the distribution is refitted to (1..population). */
  elites: number;
  /** Refits per decision (default 5). */
  iterations?: number;
  /**
   * Smoothing α in [0, 1) (default 0.1): new = α · old + (1 − α) · elite statistic, for the mean and variance
   * (continuous) or the probabilities (discrete), as in PETS.
   */
  alpha?: number;
  /**
   * Continuous only: the initial standard deviation, one number or one per action dimension
   * (default (high − low) / 4, PETS's variance (high − low)² / 16).
   */
  initStd?: number | ArrayLike<number>;
  /** Start each decision from the previous one's distribution shifted by one step (default true). */
  warmStart?: boolean;
}

const OWNER = 'CEM';

/**
 * Cross-entropy-method MPC. Each decision runs `iterations` rounds of: sample `population` sequences, score them
 * in one batched rollout (population × particles rows, one `step` per horizon step), keep the `elites` best,
 * refit. Continuous actions use clipped Gaussians per (time, dimension) and act with the mean's first action;
 * discrete actions use a categorical per time step fitted to the elites' action frequencies and act with its
 * mode. With an ensemble, particles follow members PETS-style and a disagreement penalty is optional.
 */
export class CEM implements Planner {
  readonly horizon: number;
  readonly population: number;
  readonly elites: number;
  readonly iterations: number;
  readonly alpha: number;
  private readonly evaluator: RolloutEvaluator;
  private readonly dist: PlanDistribution;
  private readonly eliteIdx: Int32Array;
  private readonly rng: NumpyGenerator;
  private readonly warmStart: boolean;

  constructor(
    readonly dynamics: BatchDynamics,
    options: CEMOptions,
  ) {
    if (options === null || typeof options !== 'object') throw new PlanningError(`${OWNER}: options { horizon, population, elites } are required`);
    const cfg = rolloutConfig(OWNER, dynamics, options, options.horizon, options.population);
    this.horizon = cfg.horizon;
    this.population = cfg.candidates;
    this.elites = requireCount(OWNER, 'elites', options.elites);
    if (this.elites > this.population) {
      throw new PlanningError(`${OWNER}: elites (${this.elites}) must not exceed population (${this.population})`);
    }
    this.iterations = requireCount(OWNER, 'iterations', options.iterations ?? 5);
    this.alpha = requireInRange(OWNER, 'alpha', options.alpha ?? 0.1, 0, 1, { openHigh: true });
    this.warmStart = options.warmStart ?? true;
    this.rng = npRandom(requireSeed(OWNER, options.seed)).rng;
    this.evaluator = new RolloutEvaluator(dynamics, cfg);
    this.eliteIdx = new Int32Array(this.population);
    this.dist = makeDistribution(dynamics, this.horizon, options.initStd);
  }

  act(state: Float32Array): Action {
    checkState(OWNER, state, this.dynamics.stateSize);
    const { plans, returns } = this.evaluator;
    for (let it = 0; it < this.iterations; it++) {
      this.dist.sample(plans, this.population, this.rng);
      this.evaluator.evaluate(state, this.rng);
      selectTop(returns, this.eliteIdx, this.population, this.elites);
      this.dist.update(plans, this.eliteIdx, this.elites, this.alpha);
    }
    const action = this.dist.firstAction(this.rng);
    if (this.warmStart) this.dist.shift();
    else this.dist.reset();
    return action;
  }

  reset(): void {
    this.dist.reset();
  }
}

function makeDistribution(dynamics: BatchDynamics, horizon: number, initStd: CEMOptions['initStd']): PlanDistribution {
  const spec = dynamics.actionSpec;
  if (spec.kind === 'discrete') {
    if (initStd !== undefined) throw new PlanningError(`${OWNER}: initStd applies to continuous actions only`);
    return new CategoricalPlanDistribution(horizon, spec.n);
  }
  const A = spec.low.length;
  const std = new Float64Array(A);
  for (let k = 0; k < A; k++) {
    const v = initStd === undefined ? (spec.high[k] - spec.low[k]) / 4 : typeof initStd === 'number' ? initStd : initStd[k];
    if (typeof initStd === 'object' && initStd.length !== A) {
      throw new PlanningError(`${OWNER}: initStd has ${initStd.length} values, the action has ${A} dimensions`);
    }
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new PlanningError(`${OWNER}: initStd must be finite and >= 0, got ${String(v)} for dimension ${k}`);
    }
    std[k] = v;
  }
  return new GaussianPlanDistribution(horizon, spec.low, spec.high, std);
}
