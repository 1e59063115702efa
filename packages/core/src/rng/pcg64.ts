/**
 * NumPy's `PCG64` bit generator: a 128-bit LCG with the XSL-RR 64-bit output, seeded through a
 * {@link SeedSequence} exactly as `np.random.PCG64(seed)` is.
 *
 * The 128-bit arithmetic runs on four 32-bit limbs in plain numbers (no BigInt): each 32x32-bit
 * product takes its low half from Math.imul and its high half from the float64 product, rounded:
 * that product's error (at most 2^12 after subtracting the low half) is far below the 2^32 step
 * between candidate high halves.
 */

import { SeedSequence, type SeedEntropy } from './seedSequence.js';

// Multiplier 0x2360ed051fc65da44385df649fccf645 (PCG_DEFAULT_MULTIPLIER_128), limbs low first.
const M0 = 0x9fccf645;
const M1 = 0x4385df64;
const M2 = 0x1fc65da4;
const M3 = 0x2360ed05;
const TWO_P32 = 4294967296;
const TWO_M32 = 1 / TWO_P32;
const TWO_P21 = 2097152;
const TWO_M53 = 1 / 9007199254740992;

/** Slots of {@link PCG64.words}. */
const HAS_UINT32 = 8;
const UINTEGER = 9;
export const PCG64_WORDS = 10;

/** A plain, structured-clone and JSON safe snapshot of a PCG64 (see {@link PCG64.getState}). */
export interface PCG64State {
  bitGenerator: 'PCG64';
  /** 128-bit LCG state as 32-bit limbs, least significant first. */
  state: number[];
  /** 128-bit increment (odd) as 32-bit limbs, least significant first. */
  inc: number[];
  /** 1 when the high half of the last 64-bit draw is waiting to be handed out by nextUint32. */
  hasUint32: number;
  /** That buffered high half. */
  uinteger: number;
}

/** The `bit_generator.state` dict NumPy reports, with Python ints as bigints. */
export interface NumpyPCG64State {
  bit_generator: 'PCG64';
  state: { state: bigint; inc: bigint };
  has_uint32: number;
  uinteger: number;
}

/** Module-private token: construct without seeding because the caller sets the state next. */
const UNSEEDED: unique symbol = Symbol('unseeded');

export class PCG64 {
  /**
   * The whole generator state in one typed array, so copies are a single `set`:
   * [0..3] state limbs, [4..7] increment limbs (least significant first), [8] has_uint32,
   * [9] the buffered uint32.
   */
  readonly words: Uint32Array;
  /** The SeedSequence this generator was seeded from; undefined when built from a raw state. */
  readonly seedSeq: SeedSequence | undefined;
  /** High and low 32 bits of the latest 64-bit output of {@link next64}. */
  hi = 0;
  lo = 0;

  constructor(seed?: SeedEntropy | SeedSequence | null | typeof UNSEEDED) {
    this.words = new Uint32Array(PCG64_WORDS);
    if (seed === UNSEEDED) {
      this.seedSeq = undefined;
      return;
    }
    this.seedSeq = seed instanceof SeedSequence ? seed : new SeedSequence(seed);
    this.seedFromWords(this.seedSeq.generateWords(8));
  }

  /** A generator resumed from a snapshot taken by {@link getState}. */
  static fromState(state: PCG64State): PCG64 {
    const g = new PCG64(UNSEEDED);
    g.setState(state);
    return g;
  }

  /**
   * `generate_state(4, uint64)` gives v[0..3]; NumPy builds initstate = v[0] << 64 | v[1] and
   * initseq = v[2] << 64 | v[3] (v[i] = w[2i] | w[2i+1] << 32), then runs pcg_setseq_128_srandom_r.
   */
  private seedFromWords(w: Uint32Array): void {
    const s = this.words;
    // inc = (initseq << 1) | 1, limbs of initseq low first: w6, w7, w4, w5.
    s[4] = ((w[6] << 1) | 1) >>> 0;
    s[5] = ((w[7] << 1) | (w[6] >>> 31)) >>> 0;
    s[6] = ((w[4] << 1) | (w[7] >>> 31)) >>> 0;
    s[7] = ((w[5] << 1) | (w[4] >>> 31)) >>> 0;
    // state = 0; step (state becomes inc); state += initstate (limbs w2, w3, w0, w1); step.
    let carry = 0;
    const init = [w[2], w[3], w[0], w[1]];
    for (let i = 0; i < 4; i++) {
      const t = s[4 + i] + init[i] + carry;
      s[i] = t >>> 0;
      carry = t >= TWO_P32 ? 1 : 0;
    }
    this.next64();
    s[HAS_UINT32] = 0;
    s[UINTEGER] = 0;
  }

  /** Advances the LCG one step and leaves the XSL-RR output in {@link hi} / {@link lo}. */
  next64(): void {
    const s = this.words;
    const a0 = s[0];
    const a1 = s[1];
    const a2 = s[2];
    const a3 = s[3];
    // Exact 64-bit products for the three low columns of state * M (see the file comment).
    const lo00 = Math.imul(a0, M0) >>> 0;
    const hi00 = ((a0 * M0 - lo00) * TWO_M32 + 0.5) >>> 0;
    const lo01 = Math.imul(a0, M1) >>> 0;
    const hi01 = ((a0 * M1 - lo01) * TWO_M32 + 0.5) >>> 0;
    const lo10 = Math.imul(a1, M0) >>> 0;
    const hi10 = ((a1 * M0 - lo10) * TWO_M32 + 0.5) >>> 0;
    // Column-2 products: their high words land in column 3, kept only mod 2^32, so int32 will do.
    const lo02 = Math.imul(a0, M2);
    const hi02 = ((a0 * M2 - (lo02 >>> 0)) * TWO_M32 + 0.5) | 0;
    const lo11 = Math.imul(a1, M1);
    const hi11 = ((a1 * M1 - (lo11 >>> 0)) * TWO_M32 + 0.5) | 0;
    const lo20 = Math.imul(a2, M0);
    const hi20 = ((a2 * M0 - (lo20 >>> 0)) * TWO_M32 + 0.5) | 0;
    // Column sums (plus the increment) are exact float64s below 2^53. Splitting each into its
    // low word and a small high part up front leaves only integer ops on the serial carry chain,
    // which is what bounds the speed of one step.
    const inc0 = s[4];
    const sum1 = hi00 + lo01 + (lo10 + s[5]);
    const sum2 = hi01 + hi10 + ((lo02 >>> 0) + (lo11 >>> 0)) + ((lo20 >>> 0) + s[6]);
    const l1 = sum1 >>> 0;
    const h1 = ((sum1 - l1) * TWO_M32) | 0;
    const l2 = sum2 >>> 0;
    const h2 = ((sum2 - l2) * TWO_M32) | 0;
    const x3 =
      (hi02 + hi11 + (hi20 + s[7]) +
        (Math.imul(a0, M3) + Math.imul(a1, M2)) + (Math.imul(a2, M1) + Math.imul(a3, M0))) | 0;
    // Carries: an unsigned 32-bit sum wrapped iff it came out smaller than an addend.
    const n0 = (lo00 + inc0) >>> 0;
    const c0 = n0 < inc0 ? 1 : 0;
    const n1 = (l1 + c0) >>> 0;
    const c1 = h1 + (n1 < c0 ? 1 : 0);
    const n2 = (l2 + c1) >>> 0;
    const c2 = h2 + (n2 < c1 ? 1 : 0);
    const n3 = (x3 + c2) >>> 0;
    s[0] = n0;
    s[1] = n1;
    s[2] = n2;
    s[3] = n3;
    // XSL-RR: fold the halves, rotate right by the top 6 bits of the new state.
    const xh = n3 ^ n1;
    const xl = n2 ^ n0;
    const rot = n3 >>> 26;
    const r = rot & 31;
    let outLo: number;
    let outHi: number;
    if (r === 0) {
      outLo = xl;
      outHi = xh;
    } else {
      outLo = (xl >>> r) | (xh << (32 - r));
      outHi = (xh >>> r) | (xl << (32 - r));
    }
    if (rot >= 32) {
      this.hi = outLo >>> 0;
      this.lo = outHi >>> 0;
    } else {
      this.hi = outHi >>> 0;
      this.lo = outLo >>> 0;
    }
  }

  /** `next_uint32`: the low half of a fresh 64-bit draw, and the buffered high half next time. */
  nextUint32(): number {
    const s = this.words;
    if (s[HAS_UINT32] !== 0) {
      s[HAS_UINT32] = 0;
      return s[UINTEGER];
    }
    this.next64();
    s[HAS_UINT32] = 1;
    s[UINTEGER] = this.hi;
    return this.lo;
  }

  /** `next_double`: (next_uint64 >> 11) * 2^-53; leaves the uint32 buffer alone, as NumPy does. */
  nextDouble(): number {
    this.next64();
    return (this.hi * TWO_P21 + (this.lo >>> 11)) * TWO_M53;
  }

  /** `next_uint64` as a bigint (convenience; hot paths use {@link next64}). */
  nextUint64(): bigint {
    this.next64();
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** A plain snapshot of the full state, buffered uint32 included. */
  getState(): PCG64State {
    const s = this.words;
    return {
      bitGenerator: 'PCG64',
      state: [s[0], s[1], s[2], s[3]],
      inc: [s[4], s[5], s[6], s[7]],
      hasUint32: s[HAS_UINT32],
      uinteger: s[UINTEGER],
    };
  }

  setState(state: PCG64State): void {
    if (state === null || typeof state !== 'object' || state.bitGenerator !== 'PCG64') {
      throw new TypeError('state must be a PCG64State snapshot (bitGenerator: "PCG64")');
    }
    // Check everything before writing, so a rejected snapshot changes nothing.
    const limbs = [...checkLimbs(state.state, 'state'), ...checkLimbs(state.inc, 'inc')];
    if ((limbs[4] & 1) === 0) throw new RangeError('PCG64 increment must be odd');
    limbs.push(state.hasUint32 ? 1 : 0, checkWord(state.uinteger, 'uinteger'));
    this.words.set(limbs);
  }

  /** NumPy's `bit_generator.state` dict, for comparing with Python. */
  getNumpyState(): NumpyPCG64State {
    const s = this.words;
    return {
      bit_generator: 'PCG64',
      state: { state: limbsToBigInt(s, 0), inc: limbsToBigInt(s, 4) },
      has_uint32: s[HAS_UINT32],
      uinteger: s[UINTEGER],
    };
  }

  /** Sets the state from NumPy's `bit_generator.state` dict (Python ints as bigints). */
  setNumpyState(state: NumpyPCG64State): void {
    this.setState({
      bitGenerator: 'PCG64',
      state: bigIntToLimbs(state.state.state),
      inc: bigIntToLimbs(state.state.inc),
      hasUint32: state.has_uint32,
      uinteger: state.uinteger,
    });
  }

  clone(): PCG64 {
    const g = new PCG64(UNSEEDED);
    g.words.set(this.words);
    (g as { seedSeq: SeedSequence | undefined }).seedSeq = this.seedSeq;
    return g;
  }
}


function checkWord(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new RangeError(`PCG64 ${name} must hold 32-bit unsigned integers, got ${String(v)}`);
  }
  return v;
}

function checkLimbs(v: unknown, name: string): number[] {
  if (!Array.isArray(v) || v.length !== 4) throw new TypeError(`PCG64 ${name} must be 4 limbs`);
  return v.map((x) => checkWord(x, name));
}

function limbsToBigInt(s: Uint32Array, at: number): bigint {
  let n = 0n;
  for (let i = 3; i >= 0; i--) n = (n << 32n) | BigInt(s[at + i]);
  return n;
}

function bigIntToLimbs(n: bigint): number[] {
  if (n < 0n || n >= 1n << 128n) throw new RangeError(`not a 128-bit unsigned integer: ${n}`);
  return [0, 1, 2, 3].map((i) => Number((n >> BigInt(32 * i)) & 0xffffffffn));
}
