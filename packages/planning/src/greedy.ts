import { type NumpyGenerator, npRandom } from '@reverie/core';
import type { BatchDynamics, ValueFn } from './dynamics.js';
import { PlanningError, checkState, requireSeed } from './errors.js';
import { type Planner, type RolloutOptions, argmaxRandomTie, rolloutConfig } from './planner.js';
import { RolloutEvaluator } from './rollout.js';

export interface OneStepGreedyOptions extends Omit<RolloutOptions, 'terminalValue'> {
  /**
   * A learned value of the predicted next states, for where the reward alone cannot rank actions (CartPole pays
   * 1 for every action): the score becomes r + γ · (1 − done) · V(s').
   */
  valueFn?: ValueFn;
}

const OWNER = 'OneStepGreedy';

/**
 * Evaluates every discrete action once with the model (one batched `step` over n actions × particles) and takes
 * the best: reward − λ · disagreement (+ γ · (1 − done) · V(s') with a value hook). Ties are broken at random, so
 * with no value and equal rewards it acts like a random policy, which is the honest reading.
 */
export class OneStepGreedy implements Planner {
  private readonly evaluator: RolloutEvaluator;
  private readonly rng: NumpyGenerator;

  constructor(
    readonly dynamics: BatchDynamics,
    options: OneStepGreedyOptions = {},
  ) {
    if (dynamics?.actionSpec?.kind !== 'discrete') {
      throw new PlanningError(`${OWNER}: needs a discrete action space; use RandomShooting or CEM for continuous actions`);
    }
    const { valueFn, ...rest } = options ?? {};
    const n = dynamics.actionSpec.n;
    const cfg = rolloutConfig(OWNER, dynamics, { ...rest, terminalValue: valueFn }, 1, n);
    this.rng = npRandom(requireSeed(OWNER, rest.seed)).rng;
    this.evaluator = new RolloutEvaluator(dynamics, cfg);
    for (let a = 0; a < n; a++) this.evaluator.plans[a] = a; // candidate a is the one-step plan [a]
  }

  /** The score of each action at the last `act` (length n). */
  get scores(): Float64Array {
    return this.evaluator.returns;
  }

  act(state: Float32Array): number {
    checkState(OWNER, state, this.dynamics.stateSize);
    this.evaluator.evaluate(state, this.rng);
    const scores = this.evaluator.returns;
    return argmaxRandomTie(scores, 0, scores.length, this.rng);
  }

  /** Nothing carries over between decisions. */
  reset(): void {}
}
