import { Env, type Info } from '../env.js';
import { EnvError } from '../errors.js';
import { Discrete } from '../spaces.js';
import { cumulativeSum, firstAbove, type TransitionTable, type TransitionView } from './tabular.js';

/** What every tabular env needs to be put back: the state index and the last action (for render). */
export interface TabularCoreState {
  s: number;
  lastAction: number | null;
}

/**
 * A discrete env driven by a transition table, with the draws of Gymnasium's toy-text envs: `reset`
 * draws the start state with `categorical_sample(initial_state_distrib, np_random)` and every `step`
 * draws one `random()` through `categorical_sample` even when the transition is deterministic.
 * Envs that are not Gymnasium ports can turn the draws off (`gymnasiumDraws = false`): then a pair with
 * a single outcome, or an initial distribution with a single state, consumes no randomness.
 */
export abstract class TabularEnv<S extends TabularCoreState = TabularCoreState> extends Env<number, number, S> {
  readonly observationSpace: Discrete;
  readonly actionSpace: Discrete;
  /** Current state index (Gymnasium's `self.s`). */
  s = 0;
  /** Last action taken, null right after reset (Gymnasium's `self.lastaction`). */
  lastAction: number | null = null;
  /** Probability of the outcome the last step drew (`info.prob`). */
  protected lastProb = 1;
  private readonly initialCum: Float64Array;
  private readonly singleStart: number;

  constructor(
    readonly table: TransitionTable,
    /** Gymnasium's `initial_state_distrib`, already normalised. */
    readonly initialStateDistribution: Float64Array,
    private readonly gymnasiumDraws = true,
  ) {
    super();
    this.observationSpace = new Discrete(table.nS);
    this.actionSpace = new Discrete(table.nA);
    this.initialCum = cumulativeSum(initialStateDistribution);
    const starts = initialStateDistribution.reduce((n, p) => (p > 0 ? n + 1 : n), 0);
    this.singleStart = starts === 1 ? initialStateDistribution.findIndex((p) => p > 0) : -1;
  }

  /** Gymnasium's `P[s][a]`: lists of `{ prob, nextState, reward, terminated }`, built on first access. */
  get P(): TransitionView {
    return this.table.P;
  }

  resetCore(): void {
    this.s =
      !this.gymnasiumDraws && this.singleStart >= 0
        ? this.singleStart
        : firstAbove(this.initialCum, 0, this.initialCum.length, this.rng.random());
    this.lastAction = null;
    this.lastProb = 1;
  }

  stepCore(actions: ArrayLike<number>, offset: number): void {
    const a = actions[offset];
    const table = this.table;
    const k =
      !this.gymnasiumDraws && table.count(this.s, a) === 1
        ? table.offsets[this.s * table.nA + a]
        : table.sample(this.s, a, this.rng.random());
    this.s = table.nextState[k];
    this.reward = table.reward[k];
    this.terminated = table.terminated[k] === 1;
    this.lastProb = table.prob[k];
    this.lastAction = a;
  }

  writeObservation(out: Float32Array, offset: number): void {
    out[offset] = this.s;
  }

  protected observe(): number {
    return this.s;
  }

  protected override resetInfo(): Info {
    return { prob: 1 };
  }

  protected override stepInfo(): Info {
    return { prob: this.lastProb };
  }

  protected baseCoreState(): TabularCoreState {
    return { s: this.s, lastAction: this.lastAction };
  }

  protected restoreBaseCoreState(state: TabularCoreState): void {
    if (!this.observationSpace.contains(state.s)) throw new EnvError(`${this.id}: state ${String(state.s)} is outside ${this.observationSpace}`);
    if (state.lastAction !== null && !this.actionSpace.contains(state.lastAction)) {
      throw new EnvError(`${this.id}: lastAction ${String(state.lastAction)} is outside ${this.actionSpace}`);
    }
    this.s = state.s;
    this.lastAction = state.lastAction;
  }
}
