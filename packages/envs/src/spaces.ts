import { NumpyGenerator, npRandom } from '@reverie/core';
import { EnvError } from './errors.js';

/** A Gymnasium-style space. `flatSize` is how many numbers one element occupies in a flat buffer. */
export interface Space<T> {
  readonly flatSize: number;
  sample(): T;
  contains(x: unknown): x is T;
  /** Checks element `x` stored at `offset` of a flat buffer, without allocating. */
  containsAt(buf: ArrayLike<number>, offset: number): boolean;
  /** Reseeds the space's own generator, as Gymnasium's `space.seed(seed)`. */
  seed(seed?: number): void;
  toString(): string;
}

/** `Discrete(n, start)`: the integers start, ..., start + n - 1. */
export class Discrete implements Space<number> {
  readonly flatSize = 1;
  private rng: NumpyGenerator;

  constructor(readonly n: number, readonly start = 0) {
    if (!Number.isInteger(n) || n <= 0) throw new EnvError(`Discrete space needs a positive integer n, got ${n}`);
    if (!Number.isInteger(start)) throw new EnvError(`Discrete space needs an integer start, got ${start}`);
    this.rng = npRandom().rng;
  }

  sample(): number {
    return this.start + this.rng.integers(0, this.n);
  }

  contains(x: unknown): x is number {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  containsAt(buf: ArrayLike<number>, offset: number): boolean {
    const x = buf[offset];
    return Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  seed(seed?: number): void {
    this.rng = npRandom(seed).rng;
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}

/** `Box(low, high, shape)` of float32; a dimension may be unbounded (+-Infinity on both sides). */
export class Box implements Space<Float32Array> {
  readonly low: Float32Array;
  readonly high: Float32Array;
  readonly flatSize: number;
  private rng: NumpyGenerator;

  constructor(low: ArrayLike<number> | number, high: ArrayLike<number> | number, readonly shape: readonly number[]) {
    this.flatSize = shape.reduce((a, b) => a * b, 1);
    this.low = Box.broadcast(low, this.flatSize);
    this.high = Box.broadcast(high, this.flatSize);
    for (let i = 0; i < this.flatSize; i++) {
      if (!(this.low[i] <= this.high[i])) throw new EnvError(`Box low[${i}]=${this.low[i]} exceeds high[${i}]=${this.high[i]}`);
    }
    this.rng = npRandom().rng;
  }

  private static broadcast(v: ArrayLike<number> | number, size: number): Float32Array {
    if (typeof v === 'number') return new Float32Array(size).fill(v);
    if (v.length !== size) throw new EnvError(`Box bound has ${v.length} values, shape needs ${size}`);
    return Float32Array.from(v);
  }

  /**
   * Gymnasium's order: unbounded dimensions draw `normal()` first, then bounded ones `uniform(low, high)`
   * in float64; the sample is cast to float32. (Half-bounded dimensions would need `exponential()`.)
   */
  sample(): Float32Array {
    const out = new Float32Array(this.flatSize);
    for (let i = 0; i < this.flatSize; i++) {
      const lo = Number.isFinite(this.low[i]);
      const hi = Number.isFinite(this.high[i]);
      if (lo !== hi) throw new EnvError(`${this}: sampling a half-bounded dimension is not supported`);
      if (!lo) out[i] = this.rng.standardNormal();
    }
    for (let i = 0; i < this.flatSize; i++) {
      if (Number.isFinite(this.low[i])) out[i] = this.rng.uniform(this.low[i], this.high[i]);
    }
    return out;
  }

  contains(x: unknown): x is Float32Array {
    if (!(x instanceof Float32Array) && !Array.isArray(x) && !(x instanceof Float64Array)) return false;
    return x.length === this.flatSize && this.containsAt(x as ArrayLike<number>, 0);
  }

  containsAt(buf: ArrayLike<number>, offset: number): boolean {
    for (let i = 0; i < this.flatSize; i++) {
      const v = Math.fround(buf[offset + i]);
      if (!(v >= this.low[i] && v <= this.high[i])) return false;
    }
    return true;
  }

  seed(seed?: number): void {
    this.rng = npRandom(seed).rng;
  }

  toString(): string {
    const fmt = (a: Float32Array) => (a.every((v) => v === a[0]) ? String(a[0]) : `[${Array.from(a).join(', ')}]`);
    return `Box(${fmt(this.low)}, ${fmt(this.high)}, (${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}), float32)`;
  }
}
