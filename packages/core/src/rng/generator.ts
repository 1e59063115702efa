/**
 * A port of the scalar draws of NumPy's `np.random.Generator` over {@link PCG64}. Every method
 * consumes the bit stream exactly as NumPy does, so interleaved calls stay in lockstep with Python.
 */

import { PCG64, type PCG64State } from './pcg64.js';
import type { SeedEntropy, SeedSequence } from './seedSequence.js';
import type { NumpyRandom } from './types.js';
import { FI_DOUBLE, KI_DOUBLE, WI_DOUBLE } from './zigguratTables.js';

const TWO_P23 = 8388608;
const TWO_P32 = 4294967296;
// ziggurat_nor_r and its inverse from NumPy's ziggurat_constants.h.
const ZIGGURAT_NOR_R = 3.6541528853610087963519472518;
const ZIGGURAT_NOR_INV_R = 0.27366123732975827203338247596;
// np.sqrt(np.finfo(np.float64).eps) and the float32 counterpart: choice()'s tolerance on sum(p).
const ATOL_F64 = Math.sqrt(2 ** -52);
const ATOL_F32 = Math.fround(Math.sqrt(2 ** -23)); // NumPy takes this root in float32

/** A plain snapshot of a {@link NumpyGenerator}: its bit generator's full state. */
export type NumpyGeneratorState = PCG64State;

export class NumpyGenerator implements NumpyRandom {
  readonly bitGenerator: PCG64;

  /** Like `np.random.Generator(PCG64(seed))`; pass a PCG64 to wrap it without copying. */
  constructor(seed?: SeedEntropy | SeedSequence | PCG64 | null) {
    this.bitGenerator = seed instanceof PCG64 ? seed : new PCG64(seed);
  }

  /** `Generator.random()`: (next_uint64 >> 11) * 2^-53, a float64 in [0, 1). */
  random(): number {
    return this.bitGenerator.nextDouble();
  }

  /**
   * `Generator.uniform(low, high)`: low + (high - low) * random(). Like NumPy, throws when the
   * range is not finite or is negative (the legacy RandomState allowed high < low).
   */
  uniform(low = 0, high = 1): number {
    const range = high - low;
    if (!Number.isFinite(range)) throw new RangeError('high - low range exceeds valid bounds');
    if (range < 0) throw new RangeError('high - low < 0');
    return low + range * this.bitGenerator.nextDouble();
  }

  /**
   * `Generator.integers(low, high)` for a scalar int64 in [low, high), or [0, low) with one
   * argument. Lemire's bounded method: ranges up to 2^32 draw buffered 32-bit halves
   * (`next_uint32`), wider ones whole 64-bit words. Bounds must be safe integers.
   */
  integers(low: number, high?: number): number {
    if (high === undefined) {
      high = low;
      low = 0;
    }
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
      throw new RangeError(`integers() bounds must be safe integers, got low=${low}, high=${high}`);
    }
    if (low >= high) throw new RangeError(low === 0 ? 'high <= 0' : 'low >= high');
    const span = high - low; // exact whenever it is <= 2^53, which covers the 32-bit path
    if (span === 1) return low;
    if (span <= TWO_P32) {
      const g = this.bitGenerator;
      if (span === TWO_P32) return low + g.nextUint32();
      return low + boundedLemire32(g, span);
    }
    // Offset in BigInt too: the draw itself may exceed 2^53 even though the result cannot.
    const lowBig = BigInt(low);
    return Number(lowBig + boundedLemire64(this.bitGenerator, BigInt(high) - lowBig));
  }

  /** `Generator.standard_normal()`: NumPy's 256-layer ziggurat. */
  standardNormal(): number {
    const g = this.bitGenerator;
    for (;;) {
      g.next64();
      const hi = g.hi;
      const lo = g.lo;
      const idx = lo & 0xff;
      // rabs = bits 9..60 of the draw (52 bits), exact in a float64.
      const rabs = (hi & 0x1fffffff) * TWO_P23 + (lo >>> 9);
      let x = rabs * WI_DOUBLE[idx];
      if ((lo & 0x100) !== 0) x = -x;
      if (rabs < KI_DOUBLE[idx]) return x;
      if (idx === 0) {
        // Tail beyond r; 1 - U keeps log away from 0 (NumPy gh-13361). Sign is bit 8 of rabs.
        for (;;) {
          const xx = -ZIGGURAT_NOR_INV_R * Math.log1p(-g.nextDouble());
          const yy = -Math.log1p(-g.nextDouble());
          if (yy + yy > xx * xx) {
            return (lo & 0x20000) !== 0 ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
          }
        }
      }
      const f1 = FI_DOUBLE[idx];
      if ((FI_DOUBLE[idx - 1] - f1) * g.nextDouble() + f1 < Math.exp(-0.5 * x * x)) return x;
    }
  }

  /** `Generator.normal(loc, scale)`: loc + scale * standard_normal(). */
  normal(loc = 0, scale = 1): number {
    if (!(scale >= 0)) throw new RangeError('scale < 0');
    return loc + scale * this.standardNormal();
  }

  /**
   * One draw of `Generator.choice(len(p), p=p)`: cdf = cumsum(p) / cdf[-1], u = random(),
   * index = searchsorted(cdf, u, side='right'). Validates p as NumPy does; no allocation.
   */
  choiceIndex(p: ArrayLike<number>): number {
    const n = p.length;
    if (n === 0) throw new RangeError('a must be a positive integer unless no samples are taken');
    // NumPy validates with a Kahan sum; the cdf itself is a plain running sum.
    let kahan = +p[0];
    let c = 0;
    let negative = false;
    for (let i = 0; i < n; i++) {
      const v = +p[i];
      if (v < 0) negative = true;
      if (i > 0) {
        const y = v - c;
        const t = kahan + y;
        c = t - kahan - y;
        kahan = t;
      }
    }
    if (Number.isNaN(kahan)) throw new RangeError('Probabilities contain NaN');
    if (negative) throw new RangeError('Probabilities are not non-negative');
    const atol = p instanceof Float32Array ? ATOL_F32 : ATOL_F64;
    if (!(Math.abs(kahan - 1) <= atol)) {
      throw new RangeError(
        'Probabilities do not sum to 1. See Notes section of docstring for more information.',
      );
    }
    let total = 0;
    for (let i = 0; i < n; i++) total += +p[i];
    const u = this.bitGenerator.nextDouble();
    // cdf is non-decreasing, so the first entry above u is what the binary search finds.
    let cum = 0;
    for (let i = 0; i < n - 1; i++) {
      cum += +p[i];
      if (cum / total > u) return i;
    }
    return n - 1; // cdf[-1] / cdf[-1] is exactly 1 > u
  }

  /** A plain snapshot (structured-clone and JSON safe), buffered uint32 included. */
  getState(): NumpyGeneratorState {
    return this.bitGenerator.getState();
  }

  setState(state: NumpyGeneratorState): void {
    this.bitGenerator.setState(state);
  }

  /** An independent generator that continues with exactly the same draws. */
  clone(): NumpyGenerator {
    return new NumpyGenerator(this.bitGenerator.clone());
  }
}

/** `buffered_bounded_lemire_uint32` for rngExcl = rng + 1 in [2, 2^32). */
function boundedLemire32(g: PCG64, rngExcl: number): number {
  // m = x * rngExcl as a 64-bit value: leftover is its low word, the result its high word.
  let x = g.nextUint32();
  let leftover = Math.imul(x, rngExcl) >>> 0;
  if (leftover < rngExcl) {
    const threshold = TWO_P32 % rngExcl; // (UINT32_MAX - rng) % rng_excl
    while (leftover < threshold) {
      x = g.nextUint32();
      leftover = Math.imul(x, rngExcl) >>> 0;
    }
  }
  return mulHigh32(x, rngExcl);
}

/** High 32 bits of x * y for x, y < 2^32, exact via 16-bit halves of x. */
function mulHigh32(x: number, y: number): number {
  const mid = (x >>> 16) * y + Math.floor(((x & 0xffff) * y) / 65536);
  return Math.floor(mid / 65536);
}

/**
 * `bounded_lemire_uint64` for rngExcl = rng + 1 in (2^32, 2^64). BigInt is fine here: ranges
 * wider than 2^32 are rare and never in the per-step hot path.
 */
function boundedLemire64(g: PCG64, rngExcl: bigint): bigint {
  const MASK64 = 0xffffffffffffffffn;
  let m = g.nextUint64() * rngExcl;
  let leftover = m & MASK64;
  if (leftover < rngExcl) {
    const threshold = ((1n << 64n) - rngExcl) % rngExcl;
    while (leftover < threshold) {
      m = g.nextUint64() * rngExcl;
      leftover = m & MASK64;
    }
  }
  return m >> 64n;
}
