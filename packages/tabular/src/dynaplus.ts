import { requireNonNegativeFinite } from './errors.js';
import { DynaQ, type DynaQOptions } from './dyna.js';

export interface DynaQPlusOptions extends DynaQOptions {
  /** Weight of the exploration bonus kappa * sqrt(tau) added to modelled rewards in planning. Default 1e-3. */
  kappa?: number;
}

/**
 * Dyna-Q+ (S&B section 8.3): planning rewards get a bonus kappa * sqrt(tau), tau being the real
 * time steps since (s, a) was last tried, so long-untried actions look attractive and get retried
 * when the environment changes. As in S&B's footnote, once a state is visited its untried actions
 * enter the model as leading back to the same state with reward 0 (tried "at time 0").
 */
export class DynaQPlus extends DynaQ {
  readonly kappa: number;
  /** Real time step at which each (s, a) was last tried; 0 for never. */
  private readonly lastTried: Float64Array;
  private readonly stateVisited: Uint8Array;
  private time = 0;

  constructor(options: DynaQPlusOptions) {
    super(options);
    this.kappa = requireNonNegativeFinite(this.owner, 'kappa', options.kappa ?? 1e-3);
    this.lastTried = new Float64Array(this.numStates * this.numActions);
    this.stateVisited = new Uint8Array(this.numStates);
  }

  /** Real time steps taken so far. */
  get steps(): number {
    return this.time;
  }

  override observe(s: number, a: number, r: number, s2: number, terminated: boolean): void {
    const sa = this.checkTransition(s, a, r, s2);
    if (this.stateVisited[s] === 0) this.addUntriedActions(s);
    this.lastTried[sa] = ++this.time;
    this.learn(sa, r, s2, terminated);
  }

  /** Like Dyna-Q's planning, with the reward of each sample raised by kappa * sqrt(tau). */
  override plan(n: number): number {
    this.checkPlanSteps(n);
    const m = this.model;
    const size = m.size;
    if (size === 0) return 0;
    const keys = m.keys;
    const reward = m.reward;
    const next = m.next;
    const terminal = m.terminal;
    const lastTried = this.lastTried;
    const rng = this.rng;
    const kappa = this.kappa;
    const now = this.time;
    for (let i = 0; i < n; i++) {
      const k = keys[rng.integers(0, size)];
      this.backup(k, reward[k] + kappa * Math.sqrt(now - lastTried[k]), next[k], terminal[k] === 1);
    }
    return n;
  }

  private addUntriedActions(s: number): void {
    this.stateVisited[s] = 1;
    const base = s * this.numActions;
    for (let b = 0; b < this.numActions; b++) {
      if (!this.model.seen[base + b]) this.model.record(base + b, 0, s, false);
    }
  }
}
