import { requireNonNegativeInt } from './errors.js';
import { TabularLearner, type LearnerOptions } from './learner.js';
import { TabularModel } from './model.js';

export interface DynaQOptions extends LearnerOptions {
  /** Planning updates after each real step (S&B's n). Default 5. */
  planningSteps?: number;
}

export type QLearningOptions = Omit<DynaQOptions, 'planningSteps'>;

/**
 * Tabular Dyna-Q (S&B section 8.2): direct Q-learning, a deterministic model of the last outcome
 * of every visited (s, a), and n planning updates on uniformly sampled visited pairs per real step.
 */
export class DynaQ extends TabularLearner {
  readonly planningSteps: number;
  readonly model: TabularModel;

  constructor(options: DynaQOptions) {
    super(new.target.name, options);
    this.planningSteps = requireNonNegativeInt(this.owner, 'planningSteps', options.planningSteps ?? 5);
    this.model = new TabularModel(this.numStates, this.numActions);
  }

  observe(s: number, a: number, r: number, s2: number, terminated: boolean): void {
    this.learn(this.checkTransition(s, a, r, s2), r, s2, terminated);
  }

  /** Direct RL, model learning, then planning (S&B's steps d, e, f) for a validated key. */
  protected learn(sa: number, r: number, s2: number, terminated: boolean): void {
    this.backup(sa, r, s2, terminated);
    this.model.record(sa, r, s2, terminated);
    if (this.planningSteps > 0) this.plan(this.planningSteps);
  }

  /** n Q-learning updates on model transitions of uniformly sampled visited pairs. */
  plan(n: number): number {
    this.checkPlanSteps(n);
    const m = this.model;
    const size = m.size;
    if (size === 0) return 0;
    // Hoisted so the loop touches only locals and typed arrays: one draw, one backup per sample.
    const keys = m.keys;
    const reward = m.reward;
    const next = m.next;
    const terminal = m.terminal;
    const rng = this.rng;
    for (let i = 0; i < n; i++) {
      const k = keys[rng.integers(0, size)];
      this.backup(k, reward[k], next[k], terminal[k] === 1);
    }
    return n;
  }
}

/** One-step tabular Q-learning: Dyna-Q with no planning, on the same code path for a fair comparison. */
export class QLearning extends DynaQ {
  constructor(options: QLearningOptions) {
    super({ ...options, planningSteps: 0 });
  }
}
