import type { NumpyGenerator } from '@reverie/core';
import { type BatchDynamics, type StepOutputs, type Termination, type ValueFn, actionSize } from './dynamics.js';

export interface RolloutConfig {
  horizon: number;
  candidates: number;
  /** Rows per candidate; with an ensemble each particle follows one member (PETS TS-∞). */
  particles: number;
  discount: number;
  termination: Termination;
  /** λ: λ · disagreement is subtracted from every predicted reward. 0 turns the penalty off. */
  disagreementPenalty: number;
  /** V(s_H), added with weight γ^H · (still alive) at the end of the horizon. */
  terminalValue?: ValueFn;
  /** c(s') subtracted from each step's reward. */
  stateCost?: ValueFn;
}

/**
 * Scores a population of action sequences under a model: every candidate's particles form one batch, and each
 * horizon step is one `dynamics.step` call over all rows. All buffers are allocated here, once; `evaluate`
 * allocates nothing. Planners write candidate sequences into `plans` and read `returns`.
 */
export class RolloutEvaluator {
  /** candidates × horizon × actionSize: candidate c's action at time t starts at (c·horizon + t)·actionSize. */
  readonly plans: Float32Array;
  /** Predicted return per candidate, averaged over its particles; −Infinity where the model gave NaN. */
  readonly returns: Float64Array;
  readonly rows: number;
  readonly actionSize: number;
  private cur: Float32Array;
  private next: Float32Array;
  private readonly actions: Float32Array;
  private readonly out: StepOutputs;
  private readonly alive: Float64Array;
  private readonly rowReturn: Float64Array;
  private readonly members: Int32Array | undefined;
  private readonly values: Float64Array | undefined;
  private readonly costs: Float64Array | undefined;

  constructor(
    private readonly dynamics: BatchDynamics,
    private readonly cfg: RolloutConfig,
  ) {
    const S = dynamics.stateSize;
    this.actionSize = actionSize(dynamics.actionSpec);
    this.rows = cfg.candidates * cfg.particles;
    this.plans = new Float32Array(cfg.candidates * cfg.horizon * this.actionSize);
    this.returns = new Float64Array(cfg.candidates);
    this.cur = new Float32Array(this.rows * S);
    this.next = new Float32Array(this.rows * S);
    this.actions = new Float32Array(this.rows * this.actionSize);
    this.out = { nextStates: this.next, rewards: new Float64Array(this.rows), done: new Float64Array(this.rows) };
    if (cfg.disagreementPenalty > 0) this.out.disagreement = new Float64Array(this.rows);
    this.alive = new Float64Array(this.rows);
    this.rowReturn = new Float64Array(this.rows);
    this.members = dynamics.ensembleSize > 1 ? new Int32Array(this.rows) : undefined;
    this.values = cfg.terminalValue ? new Float64Array(this.rows) : undefined;
    this.costs = cfg.stateCost ? new Float64Array(this.rows) : undefined;
  }

  /** Fills `returns` for the sequences in `plans`, every rollout starting at `root`. */
  evaluate(root: Float32Array, rng: NumpyGenerator): void {
    this.start(root, rng);
    let weight = 1; // γ^t
    for (let t = 0; t < this.cfg.horizon; t++) {
      this.gatherActions(t);
      this.out.nextStates = this.next;
      this.dynamics.step(this.cur, this.actions, this.rows, this.out, this.members);
      if (this.costs !== undefined) this.cfg.stateCost?.(this.next, this.rows, this.costs);
      const anyAlive = this.accumulate(weight);
      const swap = this.cur;
      this.cur = this.next;
      this.next = swap;
      weight *= this.cfg.discount;
      if (!anyAlive) break; // every rollout has ended: later rewards would all be weighted 0
    }
    this.addTerminalValue(weight);
    this.averageParticles();
  }

  private start(root: Float32Array, rng: NumpyGenerator): void {
    const S = root.length;
    for (let r = 0; r < this.rows; r++) this.cur.set(root, r * S);
    this.alive.fill(1);
    this.rowReturn.fill(0);
    const members = this.members;
    if (members !== undefined) {
      // Row r (candidate r div P, particle r mod P) uses member (r + shift) mod E. When P is a multiple of E, particle
      // p of every candidate has member (p + shift) mod E: equal shares, and candidates are compared under the same
      // members. With fewer particles than members (P = 1: TS1-style, each candidate follows one member) the
      // candidates are spread evenly over all members, so every member still runs once per step on its share of
      // the rows. The random shift avoids a fixed bias.
      const E = this.dynamics.ensembleSize;
      const shift = rng.integers(0, E);
      for (let r = 0; r < this.rows; r++) members[r] = (r + shift) % E;
    }
  }

  private gatherActions(t: number): void {
    const A = this.actionSize;
    const H = this.cfg.horizon;
    const P = this.cfg.particles;
    for (let r = 0; r < this.rows; r++) {
      const src = (((r / P) | 0) * H + t) * A;
      for (let k = 0; k < A; k++) this.actions[r * A + k] = this.plans[src + k];
    }
  }

  /** Adds this step's (penalised, discounted, alive-weighted) rewards; returns whether any row goes on. */
  private accumulate(weight: number): boolean {
    const { rewards, done, disagreement } = this.out;
    const lambda = this.cfg.disagreementPenalty;
    const soft = this.cfg.termination === 'soft';
    let anyAlive = false;
    for (let r = 0; r < this.rows; r++) {
      const w = this.alive[r];
      if (w === 0) continue; // also keeps a NaN prediction of an ended row out of the return
      let reward = rewards[r];
      if (disagreement !== undefined) reward -= lambda * disagreement[r];
      if (this.costs !== undefined) reward -= this.costs[r];
      this.rowReturn[r] += weight * w * reward;
      const p = done[r];
      const a = soft ? w * (1 - (p > 1 ? 1 : p > 0 ? p : 0)) : p >= 0.5 ? 0 : w;
      this.alive[r] = a;
      if (a > 0) anyAlive = true;
    }
    return anyAlive;
  }

  private addTerminalValue(weight: number): void {
    const fn = this.cfg.terminalValue;
    const values = this.values;
    if (fn === undefined || values === undefined) return;
    fn(this.cur, this.rows, values);
    for (let r = 0; r < this.rows; r++) {
      if (this.alive[r] !== 0) this.rowReturn[r] += weight * this.alive[r] * values[r];
    }
  }

  private averageParticles(): void {
    const P = this.cfg.particles;
    for (let c = 0; c < this.cfg.candidates; c++) {
      let sum = 0;
      for (let p = 0; p < P; p++) sum += this.rowReturn[c * P + p];
      const mean = sum / P;
      this.returns[c] = Number.isNaN(mean) ? -Infinity : mean;
    }
  }
}
