/**
 * MBPO-style branched rollouts (Janner et al. 2019): start from real replay states, follow the current
 * policy for up to k steps through the world model, each row through one randomly chosen ensemble
 * member, and store the imagined transitions in a separate synthetic replay. A row stops when the
 * model says the episode ended, and is cut (its step not stored) once the ensemble members disagree
 * by more than a threshold: past that point the model is guessing and the learner would exploit it.
 */
import type { NumpyGenerator, TransitionReplay } from '@reverie/core';

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

/** Picks actions for a batch of states (the agent's current epsilon-greedy policy). */
export type BatchPolicy = (states: Float32Array, batch: number) => Int32Array;

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
  const termAt = o.terminalThreshold ?? 0.5;
  const pool = model.elites ?? Int32Array.from({ length: model.members }, (_, i) => i);
  // Alive rows are kept packed at the front of `states`.
  let alive = o.starts;
  let states = new Float32Array(alive * s);
  for (let b = 0; b < alive; b++) {
    const i = rng.integers(0, real.size);
    for (let k = 0; k < s; k++) states[b * s + k] = real.obs[i * s + k];
  }
  const stats: RolloutStats = { added: 0, cut: 0, terminated: 0, meanLength: 0, meanDisagreement: 0 };
  let predicted = 0;
  for (let h = 0; h < o.horizon && alive > 0; h++) {
    const actions = o.policy(states, alive);
    const actionsF = Float32Array.from(actions.subarray(0, alive));
    const { disagreement } = model.predict(states, actionsF, alive);
    const members = new Int32Array(alive);
    for (let b = 0; b < alive; b++) members[b] = pool[rng.integers(0, pool.length)];
    const p = model.predictMembers(states, actionsF, members, o.sampleNoise ? rng : undefined);
    const next = new Float32Array(alive * s);
    let kept = 0;
    for (let b = 0; b < alive; b++) {
      stats.meanDisagreement += disagreement[b];
      predicted++;
      if (!(disagreement[b] <= o.maxDisagreement)) {
        stats.cut++;
        continue;
      }
      const done = p.terminatedProb[b] > termAt;
      const ns = p.nextStates.subarray(b * s, (b + 1) * s);
      if (!allFinite(ns) || !Number.isFinite(p.rewards[b])) {
        stats.cut++;
        continue;
      }
      synthetic.add(states.subarray(b * s, (b + 1) * s), actions[b], p.rewards[b], ns, done, false);
      stats.added++;
      if (done) stats.terminated++;
      else next.set(ns, kept++ * s);
    }
    // Exactly the surviving rows: the policy and the model read `states` as [alive × stateSize].
    states = next.subarray(0, kept * s);
    alive = kept;
  }
  stats.meanLength = stats.added / o.starts;
  stats.meanDisagreement = predicted > 0 ? stats.meanDisagreement / predicted : 0;
  return stats;
}

function allFinite(xs: Float32Array): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
}
