import type { Env } from '@reverie/envs';
import { PlanningError } from './errors.js';

/**
 * The actions a model accepts. Discrete actions are indices 0..n-1 stored as floats in the action buffer
 * (one lane per row; a network one-hot encodes them itself). Continuous actions are `low.length` float32
 * lanes per row, already inside [low, high] (planners clip before calling `step`).
 */
export type ActionSpec =
  | { readonly kind: 'discrete'; readonly n: number }
  | { readonly kind: 'continuous'; readonly low: Float32Array; readonly high: Float32Array };

/**
 * Where `step` writes its predictions. All buffers belong to the caller (the planner allocates them once) and
 * hold at least `batch` rows; the model writes rows 0..batch-1 and keeps no reference after returning.
 */
export interface StepOutputs {
  /** batch × stateSize, row-major. Never aliases the `states` input. */
  nextStates: Float32Array;
  /** batch rewards for (s, a) → s'. Float64 so the true env's rewards pass unrounded; a network writes its float32 here. */
  rewards: Float64Array;
  /**
   * batch probabilities in [0, 1] that s' is terminal (the continue head is 1 − done). Exact models write 0 or 1;
   * a learned termination head writes its sigmoid. See `Termination` for how planners use it.
   */
  done: Float64Array;
  /**
   * Present only when the planner asks for it (a disagreement penalty > 0): per row, a non-negative measure of
   * how much the ensemble members disagree about this transition (e.g. the variance of the members' mean
   * predictions, averaged over state dimensions). Computed over all members whatever `members` says.
   */
  disagreement?: Float64Array;
}

/**
 * A batched model of an environment, the one interface every planner uses: a neural world model, an ensemble,
 * or the true env (`TrueEnvDynamics`). Planners evaluate a whole population with one `step` call per horizon
 * step, so a network runs one big forward pass per step rather than one per candidate.
 *
 * States are whatever the model calls a state, `stateSize` float32 lanes per row: an observation for a model
 * trained on observations, a latent for a latent model, observation + snapshot handle for the true env.
 * Rows are independent; `step` must be deterministic given its inputs and the model's own RNG state.
 */
export interface BatchDynamics {
  readonly stateSize: number;
  readonly actionSpec: ActionSpec;
  /** Number of ensemble members (1 for a single model). Members are indices 0..ensembleSize-1. */
  readonly ensembleSize: number;
  /** Whether `step` fills `out.disagreement` when given one; a disagreement penalty needs it. */
  readonly providesDisagreement: boolean;
  /**
   * Predicts one transition per row. `states` is batch × stateSize, `actions` batch × actionSize(actionSpec).
   * `members` (only passed when ensembleSize > 1) names, per row, the ensemble member that predicts that row:
   * PETS's TS-∞ propagation, where each particle follows one member for the whole horizon. Without `members`
   * the model predicts with its mean (or its single network).
   */
  step(states: Float32Array, actions: Float32Array, batch: number, out: StepOutputs, members?: Int32Array): void;
  /**
   * Writes the model's state for the env's current situation into `out` (stateSize lanes). Optional: when absent,
   * the env's observation is the state (`evaluatePlanner` uses `env.writeObservation`). The true env needs it to
   * carry an exact snapshot; a latent model would run its encoder here.
   */
  stateFromEnv?(env: Env, out: Float32Array): void;
}

/**
 * A learned value of states, batched: writes V(states[i]) into out[i] for i < batch. Used by OneStepGreedy
 * (r + γ V(s')) and as the terminal value of shooting/CEM rollouts. It sees states in the dynamics' layout.
 */
export type ValueFn = (states: Float32Array, batch: number, out: Float64Array) => void;

/**
 * How a predicted termination stops a rollout's reward: 'hard' stops accumulating after the first step whose
 * done probability is >= 0.5 (exact for the true env; a learned head is thresholded); 'soft' weights each later
 * reward by the product of (1 − done) so far, the continue head's expected-return reading (Dreamer's). Both agree
 * when done is exactly 0 or 1. The reward of the terminating step itself always counts, as in Gymnasium.
 */
export type Termination = 'hard' | 'soft';

/** Lanes one action occupies in an action buffer. */
export function actionSize(spec: ActionSpec): number {
  return spec.kind === 'discrete' ? 1 : spec.low.length;
}

/** Checks a dynamics object once, when a planner is built, so bad models fail with a message, not a NaN. */
export function checkDynamics(owner: string, d: BatchDynamics): void {
  if (d === null || typeof d !== 'object' || typeof d.step !== 'function') {
    throw new PlanningError(`${owner}: dynamics must implement BatchDynamics (a step method)`);
  }
  if (!Number.isInteger(d.stateSize) || d.stateSize <= 0) {
    throw new PlanningError(`${owner}: dynamics.stateSize must be a positive integer, got ${String(d.stateSize)}`);
  }
  if (!Number.isInteger(d.ensembleSize) || d.ensembleSize <= 0) {
    throw new PlanningError(`${owner}: dynamics.ensembleSize must be a positive integer, got ${String(d.ensembleSize)}`);
  }
  const spec = d.actionSpec;
  if (spec?.kind === 'discrete') {
    if (!Number.isInteger(spec.n) || spec.n <= 0) {
      throw new PlanningError(`${owner}: discrete actionSpec.n must be a positive integer, got ${String(spec.n)}`);
    }
  } else if (spec?.kind === 'continuous') {
    if (!(spec.low instanceof Float32Array) || !(spec.high instanceof Float32Array) || spec.low.length !== spec.high.length || spec.low.length === 0) {
      throw new PlanningError(`${owner}: continuous actionSpec needs Float32Array low and high of one positive length`);
    }
    for (let i = 0; i < spec.low.length; i++) {
      if (!(Number.isFinite(spec.low[i]) && Number.isFinite(spec.high[i]) && spec.low[i] <= spec.high[i])) {
        throw new PlanningError(
          `${owner}: continuous action bounds must be finite with low <= high; dimension ${i} is [${spec.low[i]}, ${spec.high[i]}]`,
        );
      }
    }
  } else {
    throw new PlanningError(`${owner}: dynamics.actionSpec.kind must be 'discrete' or 'continuous'`);
  }
}
