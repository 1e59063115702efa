/**
 * Supervised training of a world model on a replay buffer: Adam on minibatches, a held-out split
 * for early stopping (per member for an ensemble, keeping each member's best weights), and
 * state/reward/termination losses logged every `logEvery` steps.
 */
import { npRandom, type NumpyGenerator, type TransitionReplay } from '@reverie/core';
import { tf } from '@reverie/nn';
import type { WorldModelBase } from './base.js';
import type { DeterministicWorldModel } from './deterministic.js';
import type { ProbabilisticEnsemble } from './ensemble.js';
import { type StagedData, stageReplay, validateReplay } from './staging.js';

export interface TrainWorldModelOptions {
  /** Optimiser steps at most (default 2000). */
  steps?: number;
  /** Transitions per member per step (default 256). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Fraction of the replay held out for early stopping and elite selection (default 0.1; 0 disables both). */
  heldOutFraction?: number;
  /** Evaluations in a row without improvement before stopping (default 5). */
  patience?: number;
  /** Smallest relative drop in held-out loss that counts as improvement (default 1e-3). */
  minImprovement?: number;
  /** Log (and evaluate) every this many steps (default 200). */
  logEvery?: number;
  /** Seeds the split, the bootstraps and the minibatches (default 0). */
  seed?: number;
  /** Refit input/target normalisation on the training split first (default true). */
  fitNormalisers?: boolean;
  onLog?: (entry: TrainLogEntry) => void;
}

export interface LossSummary {
  /** MSE of the normalised state delta, averaged over dimensions (and members). */
  stateLoss: number;
  /** MSE of the normalised reward. */
  rewardLoss: number;
  /** Binary cross-entropy of the termination head. */
  termLoss: number;
  /** stateLoss + rewardLoss + termLoss */
  loss: number;
}

export interface TrainLogEntry extends LossSummary {
  step: number;
  /** The losses above are averages over the training minibatches since the previous entry. */
  heldOut: LossSummary | null;
  /** Training transitions per second since the previous entry (all members together). */
  samplesPerSecond: number;
}

export interface TrainResult {
  history: TrainLogEntry[];
  stepsRun: number;
  stoppedEarly: boolean;
  /** Held-out loss per member at its best evaluation (the weights kept), or null without a held-out split. */
  memberHeldOutLoss: number[] | null;
  /** Elite members chosen (ensemble only). */
  elites: number[] | null;
  seconds: number;
  /** Training transitions per second (steps × batchSize × members / time, evaluation included). */
  samplesPerSecond: number;
}

interface Resolved {
  steps: number;
  batchSize: number;
  lr: number;
  heldOutFraction: number;
  patience: number;
  minImprovement: number;
  logEvery: number;
  seed: number;
  fitNormalisers: boolean;
}

export type WorldModel = DeterministicWorldModel | ProbabilisticEnsemble;

export async function trainWorldModel(model: WorldModel, replay: TransitionReplay, options: TrainWorldModelOptions = {}): Promise<TrainResult> {
  const o = resolveOptions(options);
  validateReplay(model, replay);
  const rng = npRandom(o.seed).rng;
  const split = replay.split(o.heldOutFraction, rng);
  if (o.fitNormalisers) model.fitNormalisers(replay, split.train);
  const data = stageReplay(model, replay);
  const boot = bootstraps(model.members, split.train, rng);
  const optimizer = tf.train.adam(o.lr);
  const best = new BestWeights(model);
  const history: TrainLogEntry[] = [];
  const batch = new Batch(model, o.batchSize);
  let acc: tf.Tensor1D | null = null;
  let stale = 0;
  let step = 0;
  let windowStart = performance.now();
  const t0 = windowStart;
  try {
    while (step < o.steps) {
      batch.fill(data, boot, split.train.length, rng);
      acc = trainStep(model, optimizer, batch, acc);
      step++;
      if (step % o.logEvery !== 0 && step !== o.steps) continue;
      const entry = logEntry(step, acc, step - (history.at(-1)?.step ?? 0), o.batchSize * model.members, windowStart);
      acc.dispose();
      acc = null;
      if (!Number.isFinite(entry.loss)) throw new Error(`trainWorldModel: the training loss is ${entry.loss} at step ${step} (diverged); lower lr`);
      if (split.heldOut.length > 0) {
        const scores = evaluate(model, data, split.heldOut);
        entry.heldOut = scores.summary;
        stale = best.update(scores.perMember, o.minImprovement) ? 0 : stale + 1;
      }
      history.push(entry);
      options.onLog?.(entry);
      windowStart = performance.now();
      await yieldToEventLoop();
      if (stale >= o.patience) break;
    }
  } catch (err) {
    best.dispose();
    throw err;
  } finally {
    acc?.dispose();
    optimizer.dispose();
  }
  return finish(model, best, history, step, step < o.steps, o.batchSize, (performance.now() - t0) / 1000);
}

function resolveOptions(options: TrainWorldModelOptions): Resolved {
  const o: Resolved = {
    steps: options.steps ?? 2000,
    batchSize: options.batchSize ?? 256,
    lr: options.lr ?? 1e-3,
    heldOutFraction: options.heldOutFraction ?? 0.1,
    patience: options.patience ?? 5,
    minImprovement: options.minImprovement ?? 1e-3,
    logEvery: options.logEvery ?? 200,
    seed: options.seed ?? 0,
    fitNormalisers: options.fitNormalisers ?? true,
  };
  for (const k of ['steps', 'batchSize', 'patience', 'logEvery'] as const) {
    if (!Number.isSafeInteger(o[k]) || o[k] <= 0) throw new Error(`${k}: expected a positive integer, got ${o[k]}`);
  }
  if (!(o.lr > 0)) throw new Error(`lr: expected a positive number, got ${o.lr}`);
  if (!(o.heldOutFraction >= 0 && o.heldOutFraction < 1)) throw new Error(`heldOutFraction: expected a number in [0, 1), got ${o.heldOutFraction}`);
  if (!(o.minImprovement >= 0)) throw new Error(`minImprovement: expected a non-negative number, got ${o.minImprovement}`);
  return o;
}

/** Each member's own bootstrap resample of the training rows ([members × n]); one member uses the rows as they are. */
function bootstraps(members: number, train: Int32Array, rng: NumpyGenerator): Int32Array {
  const n = train.length;
  if (members === 1) return train.slice();
  const out = new Int32Array(members * n);
  for (let i = 0; i < out.length; i++) out[i] = train[rng.integers(0, n)];
  return out;
}

/** Reused typed arrays for one [members, batch] minibatch. */
class Batch {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly done: Float32Array;
  constructor(readonly model: WorldModelBase, readonly size: number) {
    const rows = model.members * size;
    this.x = new Float32Array(rows * model.inputSize);
    this.y = new Float32Array(rows * (model.stateSize + 1));
    this.done = new Float32Array(rows);
  }

  fill(data: StagedData, boot: Int32Array, n: number, rng: NumpyGenerator): void {
    const inW = this.model.inputSize;
    const outW = this.model.stateSize + 1;
    for (let e = 0; e < this.model.members; e++) {
      for (let b = 0; b < this.size; b++) {
        const r = boot[e * n + rng.integers(0, n)];
        const row = e * this.size + b;
        for (let k = 0; k < inW; k++) this.x[row * inW + k] = data.x[r * inW + k];
        for (let k = 0; k < outW; k++) this.y[row * outW + k] = data.y[r * outW + k];
        this.done[row] = data.done[r];
      }
    }
  }
}

/** One Adam step; adds this batch's [state, reward, term] losses (member means) to the window sum. */
function trainStep(model: WorldModelBase, optimizer: tf.Optimizer, batch: Batch, acc: tf.Tensor1D | null): tf.Tensor1D {
  const e = model.members;
  const b = batch.size;
  const kept: { parts?: tf.Tensor1D } = {};
  tf.tidy(() => {
    const x = tf.tensor3d(batch.x, [e, b, model.inputSize]);
    const y = tf.tensor3d(batch.y, [e, b, model.stateSize + 1]);
    const done = tf.tensor3d(batch.done, [e, b, 1]);
    optimizer.minimize(() => {
      const p = model.lossParts(x, y, done);
      kept.parts = tf.keep(tf.stack([tf.mean(p.state), tf.mean(p.reward), tf.mean(p.term)]) as tf.Tensor1D);
      return p.objective;
    }, false, model.trainableVariables());
  });
  const current = kept.parts;
  if (current === undefined) throw new Error('trainWorldModel: the loss was not computed');
  if (acc === null) return current;
  const sum = tf.add(acc, current) as tf.Tensor1D;
  acc.dispose();
  current.dispose();
  return sum;
}

function logEntry(step: number, acc: tf.Tensor1D, count: number, rowsPerStep: number, since: number): TrainLogEntry {
  const [s, r, t] = acc.dataSync();
  const secs = Math.max((performance.now() - since) / 1000, 1e-9);
  return { step, ...summary(s / count, r / count, t / count), heldOut: null, samplesPerSecond: (count * rowsPerStep) / secs };
}

function summary(stateLoss: number, rewardLoss: number, termLoss: number): LossSummary {
  return { stateLoss, rewardLoss, termLoss, loss: stateLoss + rewardLoss + termLoss };
}

const EVAL_CHUNK = 4096;

/** Held-out losses per member (each member sees every held-out row) and their mean. */
function evaluate(model: WorldModelBase, data: StagedData, rows: Int32Array): { perMember: Float64Array; summary: LossSummary } {
  const e = model.members;
  const totals = new Float64Array(3 * e);
  const inW = model.inputSize;
  const outW = model.stateSize + 1;
  for (let start = 0; start < rows.length; start += EVAL_CHUNK) {
    const n = Math.min(EVAL_CHUNK, rows.length - start);
    const x = new Float32Array(n * inW);
    const y = new Float32Array(n * outW);
    const done = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const r = rows[start + i];
      x.set(data.x.subarray(r * inW, (r + 1) * inW), i * inW);
      y.set(data.y.subarray(r * outW, (r + 1) * outW), i * outW);
      done[i] = data.done[r];
    }
    const values = tf.tidy(() => {
      const p = model.lossParts(tf.tensor3d(x, [1, n, inW]), tf.tensor3d(y, [1, n, outW]), tf.tensor3d(done, [1, n, 1]), false);
      return tf.concat([p.state, p.reward, p.term]).dataSync();
    });
    for (let i = 0; i < 3 * e; i++) totals[i] += values[i] * n;
  }
  const perMember = new Float64Array(e);
  const means = [0, 0, 0];
  for (let m = 0; m < e; m++) {
    for (let c = 0; c < 3; c++) {
      const v = totals[c * e + m] / rows.length;
      perMember[m] += v;
      means[c] += v / e;
    }
  }
  return { perMember, summary: summary(means[0], means[1], means[2]) };
}

/** The best weights seen per member; shared variables (log-variance bounds) whenever any member improves. */
class BestWeights {
  readonly scores: Float64Array;
  private readonly saved: tf.Tensor[][];
  private shared: tf.Tensor[];
  constructor(private readonly model: WorldModelBase) {
    this.scores = new Float64Array(model.members).fill(Infinity);
    this.saved = Array.from({ length: model.members }, (_, e) => model.memberVariables(e).map((v) => v.clone()));
    this.shared = model.sharedVariables().map((v) => v.clone());
  }

  /** Records improved members; true when at least one improved by more than `minImprovement`. */
  update(perMember: Float64Array, minImprovement: number): boolean {
    let any = false;
    perMember.forEach((score, e) => {
      const best = this.scores[e];
      if (Number.isFinite(best) && !(score < best - minImprovement * Math.abs(best))) return;
      any = true;
      this.scores[e] = score;
      tf.dispose(this.saved[e]);
      this.saved[e] = this.model.memberVariables(e).map((v) => v.clone());
    });
    if (any) {
      tf.dispose(this.shared);
      this.shared = this.model.sharedVariables().map((v) => v.clone());
    }
    return any;
  }

  restore(): void {
    this.saved.forEach((ts, e) => this.model.memberVariables(e).forEach((v, i) => v.assign(ts[i])));
    this.model.sharedVariables().forEach((v, i) => v.assign(this.shared[i]));
  }

  dispose(): void {
    for (const ts of this.saved) tf.dispose(ts);
    tf.dispose(this.shared);
  }
}

function finish(model: WorldModel, best: BestWeights, history: TrainLogEntry[], steps: number, early: boolean, batchSize: number, seconds: number): TrainResult {
  const evaluated = Number.isFinite(best.scores[0]);
  if (evaluated) best.restore();
  best.dispose();
  if (evaluated) model.selectElites(best.scores);
  const elites = model.kind === 'ensemble' ? Array.from(model.elites) : null;
  return {
    history,
    stepsRun: steps,
    stoppedEarly: early,
    memberHeldOutLoss: evaluated ? Array.from(best.scores) : null,
    elites,
    seconds,
    samplesPerSecond: (steps * batchSize * model.members) / Math.max(seconds, 1e-9),
  };
}

/** Lets timers and progress bars run during long trainings. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
