/**
 * A ring buffer of (obs, action, reward, nextObs, terminated, truncated) transitions over
 * preallocated Float32Array storage. Adding and sampling allocate nothing once the buffer and its
 * batch exist, so collection and training loops stay off the garbage collector's path.
 */
import type { NumpyRandom } from '../rng/types.js';

export interface TransitionReplayOptions {
  capacity: number;
  obsSize: number;
  /** Floats per action: 1 for a Discrete index, the dimension for a Box. */
  actionSize: number;
}

/** A reusable batch: row i of each array is transition `indices[i]`. */
export interface TransitionBatch {
  size: number;
  indices: Int32Array;
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  /** 1 where the episode ended inside the MDP (no bootstrapping), else 0. */
  terminated: Uint8Array;
  /** 1 where a time limit cut the episode (the next state still has value), else 0. */
  truncated: Uint8Array;
}

export interface ReplaySplit {
  train: Int32Array;
  heldOut: Int32Array;
}

type Values = ArrayLike<number>;

export class TransitionReplay {
  readonly capacity: number;
  readonly obsSize: number;
  readonly actionSize: number;
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly nextObs: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  private count = 0;
  private next = 0;

  constructor(options: TransitionReplayOptions) {
    const { capacity, obsSize, actionSize } = options;
    positiveInt('capacity', capacity);
    positiveInt('obsSize', obsSize);
    positiveInt('actionSize', actionSize);
    this.capacity = capacity;
    this.obsSize = obsSize;
    this.actionSize = actionSize;
    this.obs = new Float32Array(capacity * obsSize);
    this.actions = new Float32Array(capacity * actionSize);
    this.rewards = new Float32Array(capacity);
    this.nextObs = new Float32Array(capacity * obsSize);
    this.terminated = new Uint8Array(capacity);
    this.truncated = new Uint8Array(capacity);
  }

  /** Transitions held, at most `capacity`. */
  get size(): number {
    return this.count;
  }

  /**
   * Copies one transition in, overwriting the oldest when full, and returns its slot. Everything is
   * validated before anything is written, so a rejected transition leaves the buffer unchanged.
   */
  add(obs: Values, action: number | Values, reward: number, nextObs: Values, terminated: boolean, truncated: boolean): number {
    checkVector('obs', obs, this.obsSize);
    checkVector('nextObs', nextObs, this.obsSize);
    if (typeof action === 'number') {
      if (this.actionSize !== 1) throw new Error(`action: expected ${this.actionSize} values, got a single number`);
      if (!Number.isFinite(action)) throw new Error(`action: value is ${action}`);
    } else {
      checkVector('action', action, this.actionSize);
    }
    if (typeof reward !== 'number' || !Number.isFinite(reward)) throw new Error(`reward: expected a finite number, got ${reward}`);

    const i = this.next;
    this.obs.set(obs, i * this.obsSize);
    this.nextObs.set(nextObs, i * this.obsSize);
    if (typeof action === 'number') this.actions[i] = action;
    else this.actions.set(action, i * this.actionSize);
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.truncated[i] = truncated ? 1 : 0;
    this.next = (i + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    return i;
  }

  /** Empties the buffer (storage is kept). */
  clear(): void {
    this.count = 0;
    this.next = 0;
  }

  /** A batch sized for this buffer, to pass as `out` again and again. */
  createBatch(batchSize: number): TransitionBatch {
    positiveInt('batchSize', batchSize);
    return {
      size: batchSize,
      indices: new Int32Array(batchSize),
      obs: new Float32Array(batchSize * this.obsSize),
      actions: new Float32Array(batchSize * this.actionSize),
      rewards: new Float32Array(batchSize),
      nextObs: new Float32Array(batchSize * this.obsSize),
      terminated: new Uint8Array(batchSize),
      truncated: new Uint8Array(batchSize),
    };
  }

  /** `batchSize` transitions drawn uniformly with replacement (`rng.integers(0, size)` each). */
  sample(batchSize: number, rng: NumpyRandom, out?: TransitionBatch): TransitionBatch {
    if (this.count === 0) throw new Error('sample: the replay buffer is empty');
    const batch = this.batchFor(batchSize, out);
    for (let b = 0; b < batchSize; b++) batch.indices[b] = rng.integers(0, this.count);
    return this.fill(batch);
  }

  /** Like `sample`, but draws only among the given slots (e.g. the training half of a `split`). */
  sampleFrom(pool: Int32Array, batchSize: number, rng: NumpyRandom, out?: TransitionBatch): TransitionBatch {
    if (pool.length === 0) throw new Error('sampleFrom: the index pool is empty');
    const batch = this.batchFor(batchSize, out);
    for (let b = 0; b < batchSize; b++) batch.indices[b] = this.checkIndex(pool[rng.integers(0, pool.length)]);
    return this.fill(batch);
  }

  /** The transitions at the given slots, in order; `out` must hold at least `indices.length` rows. */
  gather(indices: ArrayLike<number>, out?: TransitionBatch): TransitionBatch {
    const batch = this.batchFor(indices.length, out);
    for (let b = 0; b < indices.length; b++) batch.indices[b] = this.checkIndex(indices[b]);
    return this.fill(batch);
  }

  /**
   * A deterministic shuffle of the held slots into train and held-out lists (each sorted). With at
   * least two transitions and a positive fraction, both lists are non-empty.
   */
  split(heldOutFraction: number, rng: NumpyRandom): ReplaySplit {
    if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
      throw new Error(`heldOutFraction: expected a number in [0, 1), got ${heldOutFraction}`);
    }
    const n = this.count;
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.integers(0, i + 1);
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    let held = Math.round(n * heldOutFraction);
    if (heldOutFraction > 0 && n >= 2) held = Math.min(Math.max(held, 1), n - 1);
    return { heldOut: perm.slice(0, held).sort(), train: perm.slice(held).sort() };
  }

  private batchFor(batchSize: number, out?: TransitionBatch): TransitionBatch {
    positiveInt('batchSize', batchSize);
    if (out === undefined) return this.createBatch(batchSize);
    if (out.indices.length < batchSize || out.obs.length < batchSize * this.obsSize || out.actions.length < batchSize * this.actionSize) {
      throw new Error(`out: batch holds ${out.indices.length} rows of this buffer's shape, ${batchSize} needed`);
    }
    out.size = batchSize;
    return out;
  }

  private checkIndex(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new Error(`index ${i} is outside the ${this.count} held transitions`);
    return i;
  }

  // Plain loops rather than subarray().set(): a subarray is an allocation per row.
  private fill(batch: TransitionBatch): TransitionBatch {
    const { obsSize: o, actionSize: a } = this;
    for (let b = 0; b < batch.size; b++) {
      const i = batch.indices[b];
      for (let k = 0; k < o; k++) {
        batch.obs[b * o + k] = this.obs[i * o + k];
        batch.nextObs[b * o + k] = this.nextObs[i * o + k];
      }
      for (let k = 0; k < a; k++) batch.actions[b * a + k] = this.actions[i * a + k];
      batch.rewards[b] = this.rewards[i];
      batch.terminated[b] = this.terminated[i];
      batch.truncated[b] = this.truncated[i];
    }
    return batch;
  }
}

function positiveInt(field: string, v: number): void {
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`${field}: expected a positive integer, got ${v}`);
}

function checkVector(field: string, v: Values, size: number): void {
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw new Error(`${field}: expected an array of ${size} numbers`);
  if (v.length !== size) throw new Error(`${field}: expected ${size} values, got ${v.length}`);
  for (let k = 0; k < size; k++) {
    if (!Number.isFinite(v[k])) throw new Error(`${field}[${k}] is ${v[k]}`);
  }
}
