/**
 * `sin` and `cos` exactly as glibc's libm computes them on x86-64 (the FMA build that every FMA3 CPU
 * runs): NumPy's float64 `np.sin`/`np.cos` and Python's `math.sin`/`math.cos` call these, so Gymnasium's
 * trajectories depend on their last bits. V8's `Math.sin`/`Math.cos` (fdlibm) differ from them in about
 * 3% of arguments, which makes trajectories drift apart within a few steps.
 *
 * The algorithm is glibc's (IBM Accurate Mathematical Library, `sysdeps/ieee754/dbl-64/s_sin.c`, LGPL-2.1),
 * with the operations the compiler fused into FMAs taken from the disassembly of glibc 2.36's
 * `__sin_fma`/`__cos_fma`. `*Exact` functions emulate every fused operation exactly. `sin`/`cos` first
 * try a fast unfused evaluation and accept it only when an error bound proves that glibc's final rounding
 * lands on the same double; otherwise they fall back to the exact path.
 */
import { fma } from './fma.js';
import { SINCOS_TAB } from './sincosTable.js';

/** A module-local const, not the import binding: V8 folds it into inlined callers instead of re-reading it. */
const T = SINCOS_TAB;

/**
 * glibc's constants, and those of the fast paths' error bounds. A const enum, so that tsc writes them into the code
 * as literals: V8 reloads and hole-checks module-level consts, and their bytecode counts against its inlining limits.
 */
const enum K {
  // Polynomial coefficients (bit patterns read from the binary).
  S1 = -0.16666666666666666,
  S2 = 0.008333333333332329,
  S3 = -0.00019841269834414642,
  S4 = 2.755729806860771e-6,
  S5 = -2.5022014848318398e-8,
  SN3 = -0.16666666666666488,
  SN5 = 0.008333332142857223,
  CS4 = -0.04166666666666644,
  CS6 = 0.001388888740079376,
  /** 1.5 * 2^45: adding it rounds |x| to a multiple of 1/128, the table's spacing. */
  BIG = 52776558133248,
  HP0 = 1.5707963267948966,
  HP1 = 6.123233995736766e-17,
  HPINV = 0.6366197723675814,
  TOINT = 6755399441055744,
  MP1 = 1.5707963407039642,
  MP2 = -1.3909067564377153e-8,
  PP3 = -4.97899623147991e-17,
  PP4 = -1.9034889620193266e-25,
  /** Argument-range boundaries of glibc's branches (from the high words it compares). */
  SIN_TINY = 1.4901161193847656e-8,
  COS_TINY = 7.450580596923828e-9,
  TABLE_MAX = 0.85546875,
  MID_MAX = 2.4262638092041016,
  REDUCE_MAX = 105414336,
  /** Error-bound scales for the fast paths: 2^-50 and 2^-49. */
  E50 = 8.881784197001252e-16,
  E49 = 1.7763568394002505e-15,
  /** Bounds the tails |T[4k + 1]| and |T[4k + 3]|, in error bounds that would otherwise read them. */
  TAIL_MAX = 6e-17,
  /** Veltkamp's splitting constant 2^27 + 1 (a named constant takes less bytecode than the literal). */
  SPLIT = 134217729,
  /** 2^-56: half an ulp of the Taylor polynomial's value p, which lies in (-1/6, -1/8). */
  HALF_ULP_P = 1.3877787807814457e-17,
  /** 2^-58: per unit of x^2, bounds how far the unfused argument of p's last rounding is from glibc's fused one. */
  E58 = 3.469446951953614e-18,
}

/** sin()'s out-of-line result (a typed array, so the double is not boxed). */
const SIN_OUT = new Float64Array(1);

/** sin(a + da) for |a| < 0.126 by its Taylor polynomial. */
function taylorSin(a: number, da: number): number {
  const xx = a * a;
  const p = fma(xx, fma(xx, fma(xx, fma(xx, K.S5, K.S4), K.S3), K.S2), K.S1);
  const q = fma(p, a, -0.5 * da);
  return a + fma(xx, q, da);
}

/** sin(x + dx) for 0.126 <= |x| < 0.855 from the table entry nearest |x|. */
function tableSin(x: number, dx: number): number {
  const xa = Math.abs(x);
  if (x <= 0) dx = -dx;
  const u = xa + K.BIG - K.BIG;
  const k = (u * 512) | 0;
  const xp = xa - u;
  const xx = xp * xp;
  const s = xp + fma(xp * xx, fma(xx, K.SN5, K.SN3), dx);
  const c = fma(xp, dx, xx * fma(xx, fma(xx, K.CS6, K.CS4), 0.5));
  const sn = T[k];
  const cor = fma(s, T[k + 2], fma(-c, sn, fma(s, T[k + 3], T[k + 1])));
  const r = Math.abs(sn + cor);
  return x < 0 ? -r : r;
}

/** cos(x + dx) for |x| < 0.855 from the table entry nearest |x|. */
function tableCos(x: number, dx: number): number {
  const xa = Math.abs(x);
  if (x < 0) dx = -dx;
  const u = xa + K.BIG - K.BIG;
  const k = (u * 512) | 0;
  const xp = xa - u + dx;
  const xx = xp * xp;
  const s = fma(xp * xx, fma(xx, K.SN5, K.SN3), xp);
  const c = xx * fma(xx, fma(xx, K.CS6, K.CS4), 0.5);
  const cs = T[k + 2];
  const cor = fma(-s, T[k], fma(-c, cs, fma(-s, T[k + 1], T[k + 3])));
  return cs + cor;
}

/** sin(a + da) where a + da is already reduced to [-pi/4, pi/4]. */
function reducedSin(a: number, da: number): number {
  return Math.abs(a) < 0.126 ? taylorSin(a, da) : tableSin(a, da);
}

// Cody-Waite reduction by pi/2 to 136 bits: the quadrant and the reduced argument as a head + tail pair.
let redA = 0;
let redDa = 0;

function reduce(x: number): number {
  const t = fma(x, K.HPINV, K.TOINT);
  const xn = t - K.TOINT;
  let y = fma(-xn, K.MP1, x);
  y = fma(-xn, K.MP2, y);
  const t2 = fma(-xn, K.PP3, y);
  let db = fma(-xn, K.PP3, y - t2);
  const b = fma(-xn, K.PP4, t2);
  db += fma(-xn, K.PP4, t2 - b);
  redA = b;
  redDa = db;
  return ((xn % 4) + 4) % 4;
}

/** glibc's sin with every fused operation emulated exactly. */
export function sinExact(x: number): number {
  const ax = Math.abs(x);
  if (ax < K.SIN_TINY) return x;
  if (ax < K.TABLE_MAX) return ax < 0.126 ? taylorSin(x, 0) : tableSin(x, 0);
  if (ax < K.MID_MAX) {
    const r = Math.abs(tableCos(K.HP0 - ax, K.HP1));
    return x < 0 ? -r : r;
  }
  if (ax < K.REDUCE_MAX) {
    const n = reduce(x);
    const r = n & 1 ? tableCos(redA, redDa) : reducedSin(redA, redDa);
    return n & 2 ? -r : r;
  }
  // |x| >= 105414336 needs glibc's Payne-Hanek reduction (not ported); no env gets near it.
  return Math.sin(x);
}

/** glibc's cos with every fused operation emulated exactly. */
export function cosExact(x: number): number {
  const ax = Math.abs(x);
  if (ax < K.COS_TINY) return 1;
  if (ax < K.TABLE_MAX) return tableCos(x, 0);
  if (ax < K.MID_MAX) {
    const y = K.HP0 - ax;
    const a = y + K.HP1;
    return reducedSin(a, y - a + K.HP1);
  }
  if (ax < K.REDUCE_MAX) {
    const n = reduce(x);
    const r = n & 1 ? reducedSin(redA, redDa) : tableCos(redA, redDa);
    return (n + 1) & 2 ? -r : r;
  }
  return Math.cos(x);
}

/** glibc's `sin(x)`, bit for bit. */
export function sin(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.126) {
    if (ax < K.SIN_TINY) return x;
    // Unfused Taylor evaluation: t is within 2^-49|t| of glibc's, so if both ends round alike, so does glibc.
    const xx = x * x;
    const t = xx * (x * ((((K.S5 * xx + K.S4) * xx + K.S3) * xx + K.S2) * xx + K.S1));
    const d = Math.abs(t) * K.E49;
    const r = x + (t - d);
    if (r === x + (t + d)) return r;
  } else if (ax < K.TABLE_MAX) {
    const u = ax + K.BIG - K.BIG;
    const xp = ax - u;
    if (fastTableSin(x, (u * 512) | 0, xp, SIN_OUT)) return SIN_OUT[0];
  }
  return sinExact(x);
}

/** glibc's `cos(x)`, bit for bit. */
export function cos(x: number): number {
  const ax = Math.abs(x);
  if (ax < K.TABLE_MAX) {
    if (ax < K.COS_TINY) return 1;
    // Unfused table evaluation. A one-ulp difference in s, up to four in c and the roundings on both sides
    // put cor within 9 * 2^-53 of glibc's, per unit of |ps| + |pc| + |ccs|; 2^-49 also covers the check's own.
    const u = ax + K.BIG - K.BIG;
    const k = (u * 512) | 0;
    const xp = ax - u;
    const xx = xp * xp;
    const s = xp + xp * xx * (K.SN3 + xx * K.SN5);
    const c = xx * (0.5 + xx * (K.CS4 + xx * K.CS6));
    const sn = T[k];
    const cs = T[k + 2];
    const ps = s * sn;
    const pc = c * cs;
    const cor = T[k + 3] - s * T[k + 1] - pc - ps;
    const d = (Math.abs(ps) + Math.abs(pc) + Math.abs(T[k + 3])) * K.E49;
    const r = cs + (cor - d);
    if (r === cs + (cor + d)) return r;
  }
  return cosExact(x);
}


/**
 * sin(x) for 0.126 <= |x| < 0.855 into out[0] (true), or false when any rounding is too close to call; k and
 * xp are the table index and reduced argument as sincos computes them. Without emulated FMAs:
 * proves that s and the polynomial of c equal glibc's and computes the last fused step s*cs + w with an exact
 * product. Taking sincos's values keeps the bytecode small enough for V8 to inline this into sincos's callers.
 */
function fastTableSin(x: number, k: number, xp: number, out: Float64Array): boolean {
  const xx = xp * xp;
  const v = xp * xx * (K.SN3 + xx * K.SN5);
  const dv = abs(v) * K.E49;
  const s = xp + (v - dv);
  if (s !== xp + (v + dv)) return false;
  const pc = xx * (K.CS4 + xx * K.CS6);
  const dc = -pc * K.E49; // pc <= 0
  const cc = 0.5 + (pc - dc);
  if (cc !== 0.5 + (pc + dc)) return false;
  const c = xx * cc;
  const tab = T;
  const sn = tab[k];
  const cs = tab[k + 2];
  const csn = c * sn;
  const w2 = tab[k + 1] + s * tab[k + 3] - csn;
  // s*cs = p + e exactly (Dekker).
  const p = s * cs;
  let t = K.SPLIT * s;
  const sh = t - (t - s);
  const sl = s - sh;
  t = K.SPLIT * cs;
  const ch = t - (t - cs);
  const cl = cs - ch;
  const e = sh * ch - p + sh * cl + sl * ch + sl * cl;
  const inner = e + w2;
  // w2 and inner are at most two roundings (each side) from glibc's fused ones: within 2^-52 * (|w1| + |s ccs| +
  // |w2| + c sn + |inner|) <= 2^-52 * (3 c sn + |inner| + 2 K.TAIL_MAX). 2^-50 also covers rounding the check.
  const d = (3 * csn + abs(inner) + 2 * K.TAIL_MAX) * K.E50;
  const cor = p + (inner - d);
  if (cor !== p + (inner + d)) return false;
  // sn >= sin(16/128) outweighs |cor| < 2^-7: r is positive.
  const r = sn + cor;
  out[0] = x < 0 ? -r : r;
  return true;
}

/** An alias V8 still recognises as Math.abs, but that takes less bytecode: it keeps sincos small enough to inline. */
const abs = Math.abs;

/**
 * glibc's sin(x) and cos(x) into out[0] and out[1], bit for bit. For |x| < 0.855 both come from one table
 * lookup. The common cases stay small enough for V8 to inline into a caller's loop (where a caller's own
 * `out` lets the stores and loads cancel); the rest go out of line.
 */
export function sincos(x: number, out: Float64Array): void {
  const ax = abs(x);
  if (ax < K.TABLE_MAX && ax >= K.SIN_TINY) {
    // cos: the fast path of cos() above.
    const u = ax + K.BIG - K.BIG;
    const k = (u * 512) | 0;
    const xp = ax - u;
    const xx = xp * xp;
    const s = xp + xp * xx * (K.SN3 + xx * K.SN5);
    const c = xx * (0.5 + xx * (K.CS4 + xx * K.CS6));
    const cs = T[k + 2];
    const ps = s * T[k];
    const pc = c * cs;
    const cor = T[k + 3] - s * T[k + 1] - pc - ps;
    const d = (abs(ps) + pc + K.TAIL_MAX) * K.E49;
    if (cs + (cor - d) === cs + (cor + d)) {
      // cs + cor lies between the two, so it rounds alike; computed apart, it waits for no bound.
      out[1] = cs + cor;
      if (ax < 0.126) {
        // Taylor: glibc's p = fma(x2, h, S1) is S1 + y rounded once, y = x2 * h. Ours rounds y first; when the
        // exact residual of S1 + y is farther from half an ulp than y can be from glibc's, p is glibc's p and
        // the remaining operations are glibc's own: the result is exact, no bound needed.
        const x2 = x * x;
        const y = x2 * (((K.S5 * x2 + K.S4) * x2 + K.S3) * x2 + K.S2);
        const p = K.S1 + y;
        if (abs(y - (p - K.S1)) + x2 * K.E58 < K.HALF_ULP_P) {
          out[0] = x + x2 * (p * x);
          return;
        }
      } else if (fastTableSin(x, k, xp, out)) {
        return;
      }
    }
  }
  // x travels in out[0], so that inlined callers box no double for the call.
  out[0] = x;
  sincosSlow(out);
}

/** The general case of sincos, x read from out[0]. */
function sincosSlow(out: Float64Array): void {
  const x = out[0];
  out[0] = sin(x);
  out[1] = cos(x);
}
