/**
 * A learned world model as planning's `BatchDynamics`, so every planner (greedy, random shooting, CEM) can run on
 * a network exactly as it runs on the true env. Planning only defines the interface (it never sees tfjs); this
 * adapter lives with the models, which depend on planning's types.
 */
import type { ActionSpec as PlannerActionSpec, BatchDynamics, StepOutputs } from '@reverie/planning';
import { DeterministicWorldModel } from './deterministic.js';
import { ProbabilisticEnsemble } from './ensemble.js';
import { rawActionSize } from './inputs.js';
import type { PredictionBuffers } from './base.js';
import type { WorldModel } from './train.js';

/** The parts of an env action space the adapter needs: `Discrete` (n, start) or `Box` (low, high). */
export type ActionSpaceLike = { readonly n: number; readonly start?: number } | { readonly low: ArrayLike<number>; readonly high: ArrayLike<number> };

export interface WorldModelDynamicsOptions {
  /**
   * Per-member rollouts sample the member's Gaussian (PETS's aleatoric noise) instead of using its mean
   * (ensemble only; default false: the mean is steadier for short-horizon MPC on near-deterministic envs).
   */
  sample?: boolean;
  /** Source of the Gaussian draws when `sample` is on (e.g. a seeded NumPy generator). */
  rng?: { standardNormal(): number };
}

/**
 * Adapts a `DeterministicWorldModel` or `ProbabilisticEnsemble` to `BatchDynamics`. States are the env's
 * observations. An ensemble exposes its elites as planner members 0..E-1 (member m is elite `elites[m]`), so
 * particles only ever follow the members that did best on held-out data; disagreement is the elites' epistemic
 * variance averaged over normalised state dimensions.
 */
export class WorldModelDynamics implements BatchDynamics {
  readonly stateSize: number;
  readonly actionSpec: PlannerActionSpec;
  readonly ensembleSize: number;
  readonly providesDisagreement: boolean;
  private readonly actionLanes: number;
  private readonly eliteOf: Int32Array;
  private readonly discreteStart: number;
  /** Where `step` points the model's output (the planner's buffers), reused across calls. */
  private readonly target: PredictionBuffers = { nextStates: new Float32Array(0), rewards: new Float32Array(0), terminatedProb: new Float32Array(0) };
  private memberIds = new Int32Array(0);
  private shifted = new Float32Array(0);

  constructor(
    readonly model: WorldModel,
    actionSpace: ActionSpaceLike,
    private readonly options: WorldModelDynamicsOptions = {},
  ) {
    this.stateSize = model.stateSize;
    this.actionLanes = rawActionSize(model.action);
    this.actionSpec = plannerSpec(model, actionSpace);
    this.discreteStart = model.action.type === 'discrete' ? (model.action.start ?? 0) : 0;
    this.eliteOf = model instanceof ProbabilisticEnsemble ? model.elites : Int32Array.of(0);
    this.ensembleSize = this.eliteOf.length;
    this.providesDisagreement = model instanceof ProbabilisticEnsemble;
    if (options.sample === true && options.rng === undefined) throw new Error('WorldModelDynamics: sample needs an rng');
  }

  step(states: Float32Array, actions: Float32Array, batch: number, out: StepOutputs, members?: Int32Array): void {
    const S = this.stateSize;
    const s = states.subarray(0, batch * S);
    const a = this.modelActions(actions, batch);
    // A rollout that already diverged (non-finite state) would make the model throw; predict from 0 and mark the
    // row NaN instead, which the planners score as the worst candidate.
    const bad = sanitise(s, S, batch);
    const input = bad === null ? s : bad.clean;
    // The planner's own buffers receive the prediction: nothing is copied or allocated per step.
    const target = this.target;
    target.nextStates = out.nextStates;
    target.rewards = out.rewards;
    target.terminatedProb = out.done;
    const m = this.model;
    if (m instanceof DeterministicWorldModel) {
      m.predictInto(input, a, batch, target);
      out.disagreement?.fill(0, 0, batch);
    } else {
      const rng = this.options.sample === true ? this.options.rng : undefined;
      m.predictInto(input, a, batch, target, { members: this.modelMembers(members, batch), rng, disagreement: out.disagreement });
    }
    if (bad !== null) markRows(bad.rows, S, out);
  }

  /** Planner members (0..E-1) → the model's elite indices; undefined means the elite mean. */
  private modelMembers(members: Int32Array | undefined, batch: number): Int32Array | undefined {
    if (members === undefined) return undefined;
    if (this.memberIds.length < batch) this.memberIds = new Int32Array(batch);
    const ids = this.memberIds;
    for (let r = 0; r < batch; r++) {
      const k = members[r];
      if (!(k >= 0 && k < this.ensembleSize)) throw new Error(`WorldModelDynamics: members[${r}] is ${k}, outside 0..${this.ensembleSize - 1}`);
      ids[r] = this.eliteOf[k];
    }
    return ids;
  }

  /** Planner actions → the model's raw actions (a discrete index shifted by the space's start). */
  private modelActions(actions: Float32Array, batch: number): Float32Array {
    const a = actions.subarray(0, batch * this.actionLanes);
    if (this.discreteStart === 0) return a;
    if (this.shifted.length < a.length) this.shifted = new Float32Array(a.length);
    const shifted = this.shifted.subarray(0, a.length);
    for (let i = 0; i < a.length; i++) shifted[i] = a[i] + this.discreteStart;
    return shifted;
  }
}

function plannerSpec(model: WorldModel, space: ActionSpaceLike): PlannerActionSpec {
  const action = model.action;
  if ('n' in space) {
    if (action.type !== 'discrete' || action.n !== space.n) {
      throw new Error(`WorldModelDynamics: the env has Discrete(${space.n}) actions but the model was built for ${JSON.stringify(action)}`);
    }
    return { kind: 'discrete', n: space.n };
  }
  if (action.type !== 'box' || action.size !== space.low.length || space.high.length !== space.low.length) {
    throw new Error(`WorldModelDynamics: the env has Box(${space.low.length}) actions but the model was built for ${JSON.stringify(action)}`);
  }
  return { kind: 'continuous', low: Float32Array.from(space.low), high: Float32Array.from(space.high) };
}

/** Rows holding a non-finite value, and a copy with those rows zeroed; null when every row is finite. */
function sanitise(states: Float32Array, S: number, batch: number): { clean: Float32Array; rows: number[] } | null {
  let rows: number[] | null = null;
  for (let i = 0; i < batch * S; i++) {
    if (!Number.isFinite(states[i])) {
      rows ??= [];
      const r = (i / S) | 0;
      if (rows.at(-1) !== r) rows.push(r);
    }
  }
  if (rows === null) return null;
  const clean = states.slice();
  for (const r of rows) clean.fill(0, r * S, (r + 1) * S);
  return { clean, rows };
}

function markRows(rows: readonly number[], S: number, out: StepOutputs): void {
  for (const r of rows) {
    out.nextStates.fill(Number.NaN, r * S, (r + 1) * S);
    out.rewards[r] = Number.NaN;
    out.done[r] = 1;
    if (out.disagreement !== undefined) out.disagreement[r] = 0;
  }
}
