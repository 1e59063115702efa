/**
 * MBPO-style branched rollouts (Janner et al. 2019): start from real replay states, follow the current
 * policy for up to k steps through the world model, each row through one randomly chosen ensemble
 * member, and store the imagined transitions in a separate synthetic replay. A row stops when the
 * model says the episode ended, and is cut (its step not stored) once the ensemble members disagree
 * by more than a threshold: past that point the model is guessing and the learner would exploit it.
 */
import type { NumpyGenerator, NumpyRandom, TransitionReplay } from '@reverie/core';
import type { DQN } from './dqn.js';

/** What a rollout needs from a world model; `ProbabilisticEnsemble` from @reverie/models has it. */
export interface RolloutModel {
  readonly members: number;
  readonly stateSize: number;
  /** Elite members (a random one is drawn per row from these), or all when absent. */
  readonly elites?: Int32Array;
  /** Per-row epistemic disagreement (any scale-free measure; compared with the threshold). */
  predict(states: ArrayLike<number>, actions: ArrayLike<number>, batch: number): { disagreement: Float32Array };
  /** Row b through member memberIndex[b], sampled with `rng` (aleatoric noise) when given. */
  predictMembers(
    states: ArrayLike<number>,
    actions: ArrayLike<number>,
    memberIndex: Int32Array,
    rng?: { standardNormal(): number },
  ): { nextStates: Float32Array; rewards: Float32Array; terminatedProb: Float32Array };
}

/** Picks actions for a batch of states at rollout step `step` (0 = the branch point). */
export type BatchPolicy = (states: Float32Array, batch: number, step: number) => Int32Array;

/**
 * The policy for n-step rows, which estimate Q of the greedy policy: a uniform first action (so every
 * action gets targets), then greedy.
 */
export function nStepRolloutPolicy(agent: Pick<DQN, 'actBatch'>, rng: NumpyRandom): BatchPolicy {
  return (states, batch, step) => agent.actBatch(states, batch, step === 0 ? 1 : 0, rng);
}

export interface RolloutOptions {
  model: RolloutModel;
  real: TransitionReplay;
  synthetic: TransitionReplay;
  policy: BatchPolicy;
  /** Start states drawn (with replacement) from the real replay. */
  starts: number;
  /** Rollout length k (≥ 1). */
  horizon: number;
  /** A row stops once its disagreement exceeds this (Infinity = never). */
  maxDisagreement: number;
  rng: NumpyGenerator;
  /** Sample next states from the members' Gaussians (default false: member means). */
  sampleNoise?: boolean;
  /** A transition counts as terminal when the model's termination probability exceeds this (default 0.5). */
  terminalThreshold?: number;
  /**
   * With a discount, each row stores one n-step transition instead of k one-step ones: (s0, a0,
   * Σ γ^i r_i, s_k, terminated), k = horizon unless the model ends the episode first. A learner
   * bootstraps it with γ^horizon, so one target refresh carries value k steps back (model-based value
   * expansion, Feinberg et al. 2018). A row cut before it finishes stores nothing: its sum would have a
   * shorter, differently discounted tail.
   */
  nStepGamma?: number;
}

export interface RolloutStats {
  /** Transitions written to the synthetic replay. */
  added: number;
  /** Rows cut because disagreement passed the threshold. */
  cut: number;
  /** Rows ended by a predicted termination. */
  terminated: number;
  /** Mean number of stored steps per start state. */
  meanLength: number;
  /** Mean disagreement over all predicted steps. */
  meanDisagreement: number;
}

export function branchedRollouts(o: RolloutOptions): RolloutStats {
  const { model, real, synthetic, rng } = o;
  if (!(Number.isSafeInteger(o.horizon) && o.horizon >= 1)) throw new Error(`horizon: expected a whole number >= 1, got ${o.horizon}`);
  if (real.size === 0) throw new Error('branchedRollouts: the real replay is empty');
  const s = model.stateSize;
  if (real.obsSize !== s || synthetic.obsSize !== s) throw new Error(`branchedRollouts: replay obsSize differs from the model's stateSize ${s}`);
  const gamma = o.nStepGamma;
  if (gamma !== undefined && !(gamma >= 0 && gamma <= 1)) throw new Error(`nStepGamma: expected a number in [0, 1], got ${gamma}`);
  const termAt = o.terminalThreshold ?? 0.5;
  const pool = model.elites ?? Int32Array.from({ length: model.members }, (_, i) => i);
  // Alive rows are kept packed at the front of `states`; n-step rows remember their branch point.
  let alive = o.starts;
  let states = new Float32Array(alive * s);
  for (let b = 0; b < alive; b++) {
    const i = rng.integers(0, real.size);
    for (let k = 0; k < s; k++) states[b * s + k] = real.obs[i * s + k];
  }
  const nStep = gamma === undefined ? null : new NStepRows(states, alive, gamma);
  const stats: RolloutStats = { added: 0, cut: 0, terminated: 0, meanLength: 0, meanDisagreement: 0 };
  let predicted = 0;
  for (let h = 0; h < o.horizon && alive > 0; h++) {
    const actions = o.policy(states, alive, h);
    const actionsF = Float32Array.from(actions.subarray(0, alive));
    const { disagreement } = model.predict(states, actionsF, alive);
    const members = new Int32Array(alive);
    for (let b = 0; b < alive; b++) members[b] = pool[rng.integers(0, pool.length)];
    const p = model.predictMembers(states, actionsF, members, o.sampleNoise ? rng : undefined);
    if (h === 0) nStep?.setFirstActions(actions);
    const next = new Float32Array(alive * s);
    let kept = 0;
    for (let b = 0; b < alive; b++) {
      stats.meanDisagreement += disagreement[b];
      predicted++;
      const ns = p.nextStates.subarray(b * s, (b + 1) * s);
      if (!(disagreement[b] <= o.maxDisagreement) || !allFinite(ns) || !Number.isFinite(p.rewards[b])) {
        stats.cut++;
        continue;
      }
      const done = p.terminatedProb[b] > termAt;
      if (nStep === null) {
        synthetic.add(states.subarray(b * s, (b + 1) * s), actions[b], p.rewards[b], ns, done, false);
        stats.added++;
      } else if (nStep.step(b, h, p.rewards[b], done, kept)) {
        nStep.store(synthetic, b, ns, true);
        stats.added++;
      }
      if (done) stats.terminated++;
      else next.set(ns, kept++ * s);
    }
    // Exactly the surviving rows: the policy and the model read `states` as [alive × stateSize].
    states = next.subarray(0, kept * s);
    alive = kept;
    nStep?.advance();
  }
  if (nStep !== null) stats.added += nStep.storeAlive(synthetic, states, alive);
  stats.meanLength = stats.added / o.starts;
  stats.meanDisagreement = predicted > 0 ? stats.meanDisagreement / predicted : 0;
  return stats;
}

/** Branch points and discounted reward sums of n-step rollout rows, which stay in step as rows die. */
class NStepRows {
  private readonly starts: Float32Array;
  private readonly firstActions: Int32Array;
  private readonly sums: Float64Array;
  /** Packed alive row → its branch point; rebuilt each step. */
  private origin: Int32Array;
  private nextOrigin: Int32Array;

  constructor(states: Float32Array, rows: number, readonly gamma: number) {
    this.starts = Float32Array.from(states);
    this.firstActions = new Int32Array(rows);
    this.sums = new Float64Array(rows);
    this.origin = Int32Array.from({ length: rows }, (_, i) => i);
    this.nextOrigin = new Int32Array(rows);
  }

  setFirstActions(actions: Int32Array): void {
    this.firstActions.set(actions.subarray(0, this.firstActions.length));
  }

  /** Adds row b's reward at step h; says whether the row ends here (it terminated), else keeps it as `keptAs`. */
  step(b: number, h: number, reward: number, done: boolean, keptAs: number): boolean {
    const r = this.origin[b];
    this.sums[r] += reward * this.gamma ** h;
    if (done) return true;
    this.nextOrigin[keptAs] = r;
    return false;
  }

  store(synthetic: TransitionReplay, b: number, last: Float32Array, terminated: boolean): void {
    const r = this.origin[b];
    const s = synthetic.obsSize;
    synthetic.add(this.starts.subarray(r * s, (r + 1) * s), this.firstActions[r], this.sums[r], last, terminated, false);
  }

  /** Called once per step after every row: the kept rows become the alive ones. */
  advance(): void {
    [this.origin, this.nextOrigin] = [this.nextOrigin, this.origin];
  }

  /** Stores every row that lived the whole horizon, bootstrapping from its last state. */
  storeAlive(synthetic: TransitionReplay, states: Float32Array, alive: number): number {
    const s = synthetic.obsSize;
    for (let b = 0; b < alive; b++) this.store(synthetic, b, states.subarray(b * s, (b + 1) * s), false);
    return alive;
  }
}

function allFinite(xs: Float32Array): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
}
