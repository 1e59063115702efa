/**
 * What the deterministic model and the ensemble share: input encoding and normalisation, the stacked
 * MLP, the loss pieces every model reports (state and reward MSE in normalised units, termination
 * cross-entropy), and conversion of network outputs back to raw next states and rewards.
 */
import { npRandom, type TransitionReplay } from '@reverie/core';
import { requireBackend, tf } from '@reverie/nn';
import {
  type ActionSpec,
  checkActionSpec,
  checkBatch,
  encodedActionSize,
  encodeInputs,
  fitStats,
  identityStats,
  type NormStats,
  rawActionSize,
} from './inputs.js';
import { Scratch } from './scratch.js';
import { StackedMlp } from './stackedMlp.js';

export interface WorldModelOptions {
  stateSize: number;
  action: ActionSpec;
  /** Units per hidden layer (default 200). */
  hidden?: number;
  /** Hidden layers (default 2). */
  layers?: number;
  /** Seeds the initial weights (default 0). */
  seed?: number;
  /** Smallest standard deviation used to normalise a column (default 1e-3). */
  stdFloor?: number;
  /**
   * Weight of the termination cross-entropy in the training objective (default 1). An ensemble's Gaussian NLL
   * has much larger gradients than the cross-entropy, so its termination head learns slowly at weight 1.
   */
  terminationWeight?: number;
}

export interface WorldModelPrediction extends PredictionBuffers {
  /** [batch × stateSize] */
  nextStates: Float32Array;
  /** [batch] */
  rewards: Float32Array;
  /** [batch] probability that the transition terminates the episode */
  terminatedProb: Float32Array;
}

/** Caller-owned buffers the `predictInto` methods write rows 0..batch-1 of (a planner's own arrays). */
export interface PredictionBuffers {
  /** [batch × stateSize] */
  nextStates: Float32Array;
  /** [batch] */
  rewards: Float32Array | Float64Array;
  /** [batch] probability that the transition terminates the episode */
  terminatedProb: Float32Array | Float64Array;
}

/** Per-member metrics ([members]) plus the scalar the optimiser minimises. */
export interface LossParts {
  objective: tf.Scalar;
  state: tf.Tensor1D;
  reward: tf.Tensor1D;
  term: tf.Tensor1D;
}

export interface HeadOutputs {
  /** Normalised [delta, reward] means: [E, batch, stateSize + 1]. */
  mean: tf.Tensor3D;
  /** Log-variances of the same, or null for a deterministic model. */
  logvar: tf.Tensor3D | null;
  /** Termination logits: [E, batch, 1]. */
  logit: tf.Tensor3D;
}

export abstract class WorldModelBase {
  abstract readonly kind: 'deterministic' | 'ensemble';
  readonly stateSize: number;
  readonly action: ActionSpec;
  readonly hidden: number;
  readonly layers: number;
  readonly seed: number;
  readonly stdFloor: number;
  readonly terminationWeight: number;
  readonly members: number;
  /** Network input width: stateSize + one-hot or raw action width. */
  readonly inputSize: number;
  /** Normalisation of network inputs (one-hot columns stay identity). */
  inputStats: NormStats;
  /** Normalisation of the regression targets [state delta, reward]. */
  targetStats: NormStats;
  protected readonly net: StackedMlp;
  /** Reused buffers of the prediction hot path. */
  protected readonly scratch = new Scratch();

  protected constructor(options: WorldModelOptions, members: number, outputSize: (stateSize: number) => number) {
    const { stateSize, action, hidden = 200, layers = 2, seed = 0, stdFloor = 1e-3, terminationWeight = 1 } = options;
    positiveInt('stateSize', stateSize);
    positiveInt('hidden', hidden);
    positiveInt('layers', layers);
    checkActionSpec(action);
    requireBackend();
    if (!(stdFloor > 0)) throw new Error(`stdFloor: expected a positive number, got ${stdFloor}`);
    if (!(terminationWeight > 0 && Number.isFinite(terminationWeight))) throw new Error(`terminationWeight: expected a positive number, got ${terminationWeight}`);
    this.terminationWeight = terminationWeight;
    this.stateSize = stateSize;
    this.action = { ...action };
    this.hidden = hidden;
    this.layers = layers;
    this.seed = seed;
    this.stdFloor = stdFloor;
    this.members = members;
    this.inputSize = stateSize + encodedActionSize(action);
    this.inputStats = identityStats(this.inputSize);
    this.targetStats = identityStats(stateSize + 1);
    const sizes = [this.inputSize, ...new Array<number>(layers).fill(hidden), outputSize(stateSize)];
    this.net = new StackedMlp(members, sizes, npRandom(seed).rng);
  }

  /** Raw network heads for normalised inputs x: [E or 1, batch, inputSize]. */
  abstract heads(x: tf.Tensor3D): HeadOutputs;

  /** The training objective from heads and the per-member metrics. */
  protected abstract objective(h: HeadOutputs, y: tf.Tensor3D, sq: tf.Tensor3D, term: tf.Tensor1D): tf.Scalar;

  /** Variables the optimiser updates. */
  abstract trainableVariables(): tf.Variable[];

  /** Member e's own variables. */
  memberVariables(e: number): tf.Variable[] {
    return this.net.memberVariables(e);
  }

  /** Trained variables that belong to no single member. */
  sharedVariables(): tf.Variable[] {
    return [];
  }

  /** Every variable by its stable file name. */
  abstract namedVariables(): Record<string, tf.Variable>;

  /**
   * Loss pieces on a normalised batch: x [E or 1, B, in], y [E or 1, B, stateSize + 1] normalised
   * targets, done [E or 1, B, 1] with 1 where the transition terminated. The objective is computed
   * only when asked (evaluation needs just the per-member metrics).
   */
  lossParts(x: tf.Tensor3D, y: tf.Tensor3D, done: tf.Tensor3D, withObjective = true): LossParts {
    const h = this.heads(x);
    const sq = tf.square(tf.sub(y, h.mean)) as tf.Tensor3D;
    const s = this.stateSize;
    const state = tf.mean(tf.slice(sq, [0, 0, 0], [-1, -1, s]), [1, 2]) as tf.Tensor1D;
    const reward = tf.mean(tf.slice(sq, [0, 0, s], [-1, -1, 1]), [1, 2]) as tf.Tensor1D;
    const term = tf.mean(bceWithLogits(h.logit, done), [1, 2]) as tf.Tensor1D;
    const objective = withObjective ? this.objective(h, y, sq, term) : tf.scalar(0);
    return { objective, state, reward, term };
  }

  /**
   * Fits input and target normalisation on the given replay rows (the training split): state and
   * Box-action columns by their mean/std, target columns on the state deltas and rewards.
   */
  fitNormalisers(replay: TransitionReplay, rows: Int32Array): void {
    const s = this.stateSize;
    const stateStats = fitStats(replay.obs, s, rows, this.stdFloor);
    const input = identityStats(this.inputSize);
    input.mean.set(stateStats.mean);
    input.std.set(stateStats.std);
    if (this.action.type === 'box') {
      const a = fitStats(replay.actions, this.action.size, rows, this.stdFloor);
      input.mean.set(a.mean, s);
      input.std.set(a.std, s);
    }
    const targets = new Float32Array(rows.length * (s + 1));
    const all = new Int32Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      writeTarget(replay, rows[r], s, targets, r);
      all[r] = r;
    }
    this.inputStats = input;
    this.targetStats = fitStats(targets, s + 1, all, this.stdFloor);
  }

  /** Normalised network inputs for a raw batch, validated (lengths, NaN, action range). */
  encode(states: ArrayLike<number>, actions: ArrayLike<number>, batch: number): Float32Array {
    checkBatch('states', states, batch, this.stateSize);
    checkBatch('actions', actions, batch, rawActionSize(this.action));
    const out = new Float32Array(batch * this.inputSize);
    encodeInputs(states, actions, batch, this.stateSize, this.action, this.inputStats, out);
    return out;
  }

  /**
   * Like `encode`, into a reused buffer (valid until the next call; may be longer than batch rows); with
   * `rowOf`, row b is written to row rowOf[b].
   */
  protected encodeScratch(states: ArrayLike<number>, actions: ArrayLike<number>, batch: number, rowOf?: Int32Array): Float32Array {
    checkBatch('states', states, batch, this.stateSize);
    checkBatch('actions', actions, batch, rawActionSize(this.action));
    const out = this.scratch.f32('x', batch * this.inputSize);
    encodeInputs(states, actions, batch, this.stateSize, this.action, this.inputStats, out, rowOf);
    return out;
  }

  /** Row b's raw next state and reward from normalised [delta, reward] outputs at raw[o .. o + stateSize]. */
  protected decodeRow(states: ArrayLike<number>, b: number, raw: Float32Array, o: number, out: PredictionBuffers): void {
    const s = this.stateSize;
    const { mean, std } = this.targetStats;
    for (let k = 0; k < s; k++) out.nextStates[b * s + k] = states[b * s + k] + raw[o + k] * std[k] + mean[k];
    out.rewards[b] = raw[o + s] * std[s] + mean[s];
  }

  /** Called after training with each member's best held-out loss; the ensemble keeps its elites. */
  selectElites(_scores: ArrayLike<number>): void {}

  dispose(): void {
    for (const v of Object.values(this.namedVariables())) v.dispose();
  }
}

/** Normalised regression target of replay slot i ([nextObs - obs, reward]) into row r of out. */
export function writeTarget(replay: TransitionReplay, i: number, s: number, out: Float32Array, r: number): void {
  const o = i * s;
  for (let k = 0; k < s; k++) out[r * (s + 1) + k] = replay.nextObs[o + k] - replay.obs[o + k];
  out[r * (s + 1) + s] = replay.rewards[i];
}

/** Numerically stable binary cross-entropy on logits: max(z, 0) - z·t + log(1 + e^-|z|). */
export function bceWithLogits(logit: tf.Tensor, target: tf.Tensor): tf.Tensor {
  return tf.add(tf.sub(tf.relu(logit), tf.mul(logit, target)), tf.log1p(tf.exp(tf.neg(tf.abs(logit)))));
}

/** Fresh output arrays for `batch` rows. */
export function newPrediction(batch: number, stateSize: number): WorldModelPrediction {
  return { nextStates: new Float32Array(batch * stateSize), rewards: new Float32Array(batch), terminatedProb: new Float32Array(batch) };
}

/** The logistic function, stable for large |z|. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function positiveInt(field: string, v: number): void {
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`${field}: expected a positive integer, got ${v}`);
}
