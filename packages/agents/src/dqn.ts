/**
 * DQN (Mnih et al. 2015) with double-DQN targets (van Hasselt et al. 2016), a target network updated
 * by hard copy every K updates or by Polyak averaging, Huber loss and Adam. Only `terminated` stops
 * bootstrapping: a time-limit truncation still has a next state with value.
 */
import { npRandom, type NumpyRandom } from '@reverie/core';
import { requireBackend, tf } from '@reverie/nn';
import { QNetwork } from './qnet.js';

export interface DqnOptions {
  stateSize: number;
  numActions: number;
  /** Hidden layer widths (default [128, 128]). */
  hidden?: number[];
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Discount (default 0.99). */
  gamma?: number;
  /** Huber loss threshold (default 1). */
  huberDelta?: number;
  /** Target network: hard copy every `every` updates, or Polyak with `tau` after each (default hard, 500). */
  target?: { kind: 'hard'; every: number } | { kind: 'polyak'; tau: number };
  /** Gradient global-norm clip (default 10; 0 = none). */
  maxGradNorm?: number;
  /** Double DQN targets (default true); false gives the classic max over the target network. */
  double?: boolean;
  /** Seeds the initial weights (default 0). */
  seed?: number;
}

/** The rows a DQN update reads (a core `TransitionBatch` is one). */
export interface DqnBatch {
  size: number;
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  terminated: Uint8Array;
}

/**
 * Double-DQN targets: y = r + γ·(1 − terminated)·Q_target(s', argmax_a Q_online(s', a)).
 * With `double` false the argmax is taken over Q_target itself (classic DQN).
 */
export function dqnTargets(
  rewards: tf.Tensor1D,
  terminated: tf.Tensor1D,
  nextQOnline: tf.Tensor2D,
  nextQTarget: tf.Tensor2D,
  gamma: number,
  double = true,
): tf.Tensor1D {
  return tf.tidy(() => {
    const best = tf.argMax(double ? nextQOnline : nextQTarget, 1);
    const nextV = tf.sum(tf.mul(nextQTarget, tf.oneHot(best, nextQTarget.shape[1])), 1);
    return tf.add(rewards, tf.mul(tf.mul(tf.sub(1, terminated), gamma), nextV)) as tf.Tensor1D;
  });
}

/** Mean Huber loss: 0.5·x² for |x| ≤ δ, δ·(|x| − 0.5·δ) beyond (the quadratic part is clipped at δ). */
export function huberLoss(pred: tf.Tensor, target: tf.Tensor, delta = 1): tf.Scalar {
  return tf.tidy(() => {
    const err = tf.abs(tf.sub(pred, target));
    const quad = tf.minimum(err, delta);
    return tf.mean(tf.add(tf.mul(0.5, tf.square(quad)), tf.mul(delta, tf.sub(err, quad))));
  });
}

export class DQN {
  readonly online: QNetwork;
  readonly target: QNetwork;
  readonly gamma: number;
  readonly huberDelta: number;
  readonly double: boolean;
  readonly maxGradNorm: number;
  readonly targetUpdate: NonNullable<DqnOptions['target']>;
  /** Gradient updates done so far. */
  updates = 0;
  private readonly optimizer: tf.Optimizer;
  private readonly obsScratch: Float32Array;

  constructor(options: DqnOptions) {
    requireBackend();
    const { stateSize, numActions, hidden = [128, 128], lr = 1e-3, gamma = 0.99, huberDelta = 1, seed = 0 } = options;
    this.targetUpdate = options.target ?? { kind: 'hard', every: 500 };
    if (this.targetUpdate.kind === 'hard' && !(Number.isSafeInteger(this.targetUpdate.every) && this.targetUpdate.every > 0)) {
      throw new Error(`target.every: expected a positive integer, got ${this.targetUpdate.every}`);
    }
    if (this.targetUpdate.kind === 'polyak' && !(this.targetUpdate.tau > 0 && this.targetUpdate.tau <= 1)) {
      throw new Error(`target.tau: expected a number in (0, 1], got ${this.targetUpdate.tau}`);
    }
    if (!(gamma >= 0 && gamma <= 1)) throw new Error(`gamma: expected a number in [0, 1], got ${gamma}`);
    if (!(lr > 0)) throw new Error(`lr: expected a positive number, got ${lr}`);
    const sizes = [stateSize, ...hidden, numActions];
    this.online = new QNetwork(sizes, npRandom(seed).rng);
    // The target starts as an exact copy and is never trained directly.
    this.target = new QNetwork(sizes, npRandom(seed).rng, false);
    this.gamma = gamma;
    this.huberDelta = huberDelta;
    this.double = options.double ?? true;
    this.maxGradNorm = options.maxGradNorm ?? 10;
    this.optimizer = tf.train.adam(lr);
    this.obsScratch = new Float32Array(stateSize);
  }

  get numActions(): number {
    return this.online.numActions;
  }

  /** Greedy action for one state (ties → lowest index). */
  greedy(obs: ArrayLike<number>): number {
    this.obsScratch.set(obs);
    return argmax(this.online.qValues(this.obsScratch, 1), 0, this.numActions);
  }

  /** Epsilon-greedy: a uniform random action with probability epsilon (one `rng.random()` draw always). */
  act(obs: ArrayLike<number>, epsilon: number, rng: NumpyRandom): number {
    if (rng.random() < epsilon) return rng.integers(0, this.numActions);
    return this.greedy(obs);
  }

  /** Epsilon-greedy actions for `batch` states at once (one forward pass). */
  actBatch(states: Float32Array, batch: number, epsilon: number, rng: NumpyRandom, out = new Int32Array(batch)): Int32Array {
    const q = this.online.qValues(states, batch);
    const n = this.numActions;
    for (let b = 0; b < batch; b++) out[b] = rng.random() < epsilon ? rng.integers(0, n) : argmax(q, b * n, n);
    return out;
  }

  /** The regression targets for a batch (no gradient), for inspection and tests. */
  targets(batch: DqnBatch, gamma = this.gamma): Float32Array {
    return tf.tidy(() => this.targetTensor(batch, gamma).dataSync() as Float32Array);
  }

  private targetTensor(batch: DqnBatch, gamma: number): tf.Tensor1D {
    const n = batch.size;
    const s = this.online.stateSize;
    const next = tf.tensor2d(batch.nextObs.subarray(0, n * s), [n, s]);
    const r = tf.tensor1d(batch.rewards.subarray(0, n));
    const term = tf.tensor1d(Float32Array.from(batch.terminated.subarray(0, n)));
    const qOnline = this.double ? this.online.forward(next) : this.target.forward(next);
    return dqnTargets(r, term, qOnline, this.target.forward(next), gamma, this.double);
  }

  /**
   * One Adam step on the Huber TD loss of a batch, then the target-network update (unless
   * `updateTarget` is false: the caller then moves it with `updateTargetNow`); returns the loss.
   * `gamma` discounts the bootstrap: γ^k for rows whose reward already sums k steps (n-step returns).
   */
  update(batch: DqnBatch, updateTarget = true, gamma = this.gamma): number {
    if (!(gamma >= 0 && gamma <= 1)) throw new Error(`gamma: expected a number in [0, 1], got ${gamma}`);
    const n = batch.size;
    const s = this.online.stateSize;
    const loss = tf.tidy(() => {
      const y = this.targetTensor(batch, gamma);
      const x = tf.tensor2d(batch.obs.subarray(0, n * s), [n, s]);
      const a = tf.tensor1d(Int32Array.from(batch.actions.subarray(0, n)), 'int32');
      const mask = tf.oneHot(a, this.numActions);
      const { value, grads } = tf.variableGrads(() => {
        const q = tf.sum(tf.mul(this.online.forward(x), mask), 1);
        return huberLoss(q, y, this.huberDelta);
      }, this.online.variables());
      this.optimizer.applyGradients(this.maxGradNorm > 0 ? clipByGlobalNorm(grads, this.maxGradNorm) : grads);
      return value;
    });
    const out = loss.dataSync()[0];
    loss.dispose();
    this.updates++;
    if (updateTarget) this.updateTargetNow(this.updates);
    return out;
  }

  /**
   * The target-network rule applied at `tick` (the update count, or whatever clock the caller keeps):
   * a Polyak step, or a hard copy when `tick` is a multiple of `every`.
   */
  updateTargetNow(tick: number): void {
    const t = this.targetUpdate;
    if (t.kind === 'polyak') this.target.updateFrom(this.online, t.tau);
    else if (tick % t.every === 0) this.target.updateFrom(this.online, 1);
  }

  /** Copies the online weights into the target network now. */
  syncTarget(): void {
    this.target.updateFrom(this.online, 1);
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.optimizer.dispose();
  }
}

function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  const names = Object.keys(grads);
  const norm = tf.sqrt(tf.addN(names.map((k) => tf.sum(tf.square(grads[k])))));
  const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
  const out: tf.NamedTensorMap = {};
  for (const k of names) out[k] = tf.mul(grads[k], scale);
  return out;
}

export function argmax(q: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (q[offset + i] > q[offset + best]) best = i;
  return best;
}
