import { npRandom, type NumpyGenerator } from '@reverie/core';
import {
  TabularError,
  requireCount,
  requireInRange,
  requireSeed,
  requireTieBreak,
  type TieBreak,
} from './errors.js';

/** What every tabular agent offers: acting, learning from real transitions, and planning. */
export interface TabularAgent {
  readonly numStates: number;
  readonly numActions: number;
  /** Action values, row-major: `q[s * numActions + a]`. */
  readonly q: Float64Array;
  /** Total Q-updates so far, real and planned. */
  readonly updates: number;
  /** Epsilon-greedy action for `state`. */
  act(state: number): number;
  /** Greedy action for `state`. With tieBreak 'random' a tie spends one draw of the agent's generator. */
  greedy(state: number): number;
  /** Learns from one real transition, then plans. `terminated` means s2 is terminal (not truncation). */
  observe(s: number, a: number, r: number, s2: number, terminated: boolean): void;
  /** Runs up to `n` planning updates on the learned model; returns how many were done. */
  plan(n: number): number;
}

export interface LearnerOptions {
  numStates: number;
  numActions: number;
  /** Step size, in (0, 1]. Default 0.1. */
  alpha?: number;
  /** Discount, in [0, 1]. Default 0.95. */
  gamma?: number;
  /** Exploration rate of `act`, in [0, 1]. Default 0.1. */
  epsilon?: number;
  /** Default 'random'. */
  tieBreak?: TieBreak;
  /** Seeds the one generator behind every random choice (exploration, ties, planning samples). */
  seed?: number;
}

/**
 * The shared core of the tabular agents: the flat Q table, epsilon-greedy action selection with
 * tie-breaking, and the one-step Q-learning backup that real and simulated experience both use.
 */
export abstract class TabularLearner implements TabularAgent {
  readonly numStates: number;
  readonly numActions: number;
  readonly alpha: number;
  readonly gamma: number;
  readonly epsilon: number;
  readonly tieBreak: TieBreak;
  readonly q: Float64Array;
  protected readonly rng: NumpyGenerator;
  protected updateCount = 0;

  protected constructor(protected readonly owner: string, options: LearnerOptions) {
    if (options === null || typeof options !== 'object') throw new TabularError(`${owner}: options object is required`);
    this.numStates = requireCount(owner, 'numStates', options.numStates);
    this.numActions = requireCount(owner, 'numActions', options.numActions);
    if (this.numStates * this.numActions > 0x7fffffff) {
      throw new TabularError(`${owner}: numStates * numActions must fit an Int32 key, got ${this.numStates * this.numActions}`);
    }
    this.alpha = requireInRange(owner, 'alpha', options.alpha ?? 0.1, 0, 1, true);
    this.gamma = requireInRange(owner, 'gamma', options.gamma ?? 0.95, 0, 1);
    this.epsilon = requireInRange(owner, 'epsilon', options.epsilon ?? 0.1, 0, 1);
    this.tieBreak = requireTieBreak(owner, options.tieBreak ?? 'random');
    this.rng = npRandom(requireSeed(owner, options.seed)).rng;
    this.q = new Float64Array(this.numStates * this.numActions);
  }

  get updates(): number {
    return this.updateCount;
  }

  act(state: number): number {
    this.checkState('state', state);
    // Draw only when exploring is possible, so epsilon = 0 spends no random numbers.
    if (this.epsilon > 0 && this.rng.random() < this.epsilon) return this.rng.integers(0, this.numActions);
    return this.argmax(state);
  }

  greedy(state: number): number {
    this.checkState('state', state);
    return this.argmax(state);
  }

  abstract observe(s: number, a: number, r: number, s2: number, terminated: boolean): void;
  abstract plan(n: number): number;

  /** Argmax over the row of `s`; random tie-breaking costs one draw, and only when there is a tie. */
  protected argmax(s: number): number {
    const q = this.q;
    const nA = this.numActions;
    const base = s * nA;
    let best = q[base];
    let first = 0;
    let ties = 1;
    for (let a = 1; a < nA; a++) {
      const v = q[base + a];
      if (v > best) {
        best = v;
        first = a;
        ties = 1;
      } else if (v === best) {
        ties++;
      }
    }
    if (ties === 1 || this.tieBreak === 'first') return first;
    let pick = this.rng.integers(0, ties);
    for (let a = first; a < nA; a++) {
      if (q[base + a] === best && pick-- === 0) return a;
    }
    return first; // unreachable: pick < ties
  }

  /** r + gamma * max_a' Q(s2, a') - Q(sa); a terminal s2 bootstraps 0. */
  protected tdError(sa: number, r: number, s2: number, terminal: boolean): number {
    if (terminal) return r - this.q[sa];
    const q = this.q;
    const nA = this.numActions;
    const base = s2 * nA;
    let m = q[base];
    for (let a = 1; a < nA; a++) {
      const v = q[base + a];
      if (v > m) m = v;
    }
    return r + this.gamma * m - q[sa];
  }

  /** The one-step Q-learning update, for real and planned transitions alike. */
  protected backup(sa: number, r: number, s2: number, terminal: boolean): void {
    this.q[sa] += this.alpha * this.tdError(sa, r, s2, terminal);
    this.updateCount++;
  }

  /** Validates a real transition and returns its flat key `s * numActions + a`. */
  protected checkTransition(s: number, a: number, r: number, s2: number): number {
    this.checkState('s', s);
    this.checkAction('a', a);
    this.checkState('s2', s2);
    if (typeof r !== 'number' || !Number.isFinite(r)) throw new TabularError(`${this.owner}: reward must be a finite number, got ${String(r)}`);
    return s * this.numActions + a;
  }

  protected checkState(field: string, s: number): void {
    if (!Number.isInteger(s) || s < 0 || s >= this.numStates) {
      throw new TabularError(`${this.owner}: ${field} must be a state in [0, ${this.numStates}), got ${String(s)}`);
    }
  }

  protected checkAction(field: string, a: number): void {
    if (!Number.isInteger(a) || a < 0 || a >= this.numActions) {
      throw new TabularError(`${this.owner}: ${field} must be an action in [0, ${this.numActions}), got ${String(a)}`);
    }
  }

  protected checkPlanSteps(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new TabularError(`${this.owner}: plan(n) needs an integer n >= 0, got ${String(n)}`);
  }
}
