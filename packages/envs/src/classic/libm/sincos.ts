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
import { SINCOS_TAB as T } from './sincosTable.js';

// Polynomial coefficients (bit patterns read from the binary).
const S1 = -0.16666666666666666;
const S2 = 0.008333333333332329;
const S3 = -0.00019841269834414642;
const S4 = 2.755729806860771e-6;
const S5 = -2.5022014848318398e-8;
const SN3 = -0.16666666666666488;
const SN5 = 0.008333332142857223;
const CS4 = -0.04166666666666644;
const CS6 = 0.001388888740079376;
/** 1.5 * 2^45: adding it rounds |x| to a multiple of 1/128, the table's spacing. */
const BIG = 52776558133248;
const HP0 = 1.5707963267948966;
const HP1 = 6.123233995736766e-17;
const HPINV = 0.6366197723675814;
const TOINT = 6755399441055744;
const MP1 = 1.5707963407039642;
const MP2 = -1.3909067564377153e-8;
const PP3 = -4.97899623147991e-17;
const PP4 = -1.9034889620193266e-25;
/** Argument-range boundaries of glibc's branches (from the high words it compares). */
const SIN_TINY = 1.4901161193847656e-8;
const COS_TINY = 7.450580596923828e-9;
const TABLE_MAX = 0.85546875;
const MID_MAX = 2.4262638092041016;
const REDUCE_MAX = 105414336;
/** Error-bound scales for the fast paths: 2^-49 and 2^-48. */
const E49 = 1.7763568394002505e-15;
const E48 = 3.552713678800501e-15;

/** sin(a + da) for |a| < 0.126 by its Taylor polynomial. */
function taylorSin(a: number, da: number): number {
  const xx = a * a;
  const p = fma(xx, fma(xx, fma(xx, fma(xx, S5, S4), S3), S2), S1);
  const q = fma(p, a, -0.5 * da);
  return a + fma(xx, q, da);
}

/** sin(x + dx) for 0.126 <= |x| < 0.855 from the table entry nearest |x|. */
function tableSin(x: number, dx: number): number {
  const xa = Math.abs(x);
  if (x <= 0) dx = -dx;
  const u = xa + BIG - BIG;
  const k = (u * 512) | 0;
  const xp = xa - u;
  const xx = xp * xp;
  const s = xp + fma(xp * xx, fma(xx, SN5, SN3), dx);
  const c = fma(xp, dx, xx * fma(xx, fma(xx, CS6, CS4), 0.5));
  const sn = T[k];
  const cor = fma(s, T[k + 2], fma(-c, sn, fma(s, T[k + 3], T[k + 1])));
  const r = Math.abs(sn + cor);
  return x < 0 ? -r : r;
}

/** cos(x + dx) for |x| < 0.855 from the table entry nearest |x|. */
function tableCos(x: number, dx: number): number {
  const xa = Math.abs(x);
  if (x < 0) dx = -dx;
  const u = xa + BIG - BIG;
  const k = (u * 512) | 0;
  const xp = xa - u + dx;
  const xx = xp * xp;
  const s = fma(xp * xx, fma(xx, SN5, SN3), xp);
  const c = xx * fma(xx, fma(xx, CS6, CS4), 0.5);
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
  const t = fma(x, HPINV, TOINT);
  const xn = t - TOINT;
  let y = fma(-xn, MP1, x);
  y = fma(-xn, MP2, y);
  const t2 = fma(-xn, PP3, y);
  let db = fma(-xn, PP3, y - t2);
  const b = fma(-xn, PP4, t2);
  db += fma(-xn, PP4, t2 - b);
  redA = b;
  redDa = db;
  return ((xn % 4) + 4) % 4;
}

/** glibc's sin with every fused operation emulated exactly. */
export function sinExact(x: number): number {
  const ax = Math.abs(x);
  if (ax < SIN_TINY) return x;
  if (ax < TABLE_MAX) return ax < 0.126 ? taylorSin(x, 0) : tableSin(x, 0);
  if (ax < MID_MAX) {
    const r = Math.abs(tableCos(HP0 - ax, HP1));
    return x < 0 ? -r : r;
  }
  if (ax < REDUCE_MAX) {
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
  if (ax < COS_TINY) return 1;
  if (ax < TABLE_MAX) return tableCos(x, 0);
  if (ax < MID_MAX) {
    const y = HP0 - ax;
    const a = y + HP1;
    return reducedSin(a, y - a + HP1);
  }
  if (ax < REDUCE_MAX) {
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
    if (ax < SIN_TINY) return x;
    // Unfused Taylor evaluation: t is within 2^-49|t| of glibc's, so if both ends round alike, so does glibc.
    const xx = x * x;
    const t = xx * (x * ((((S5 * xx + S4) * xx + S3) * xx + S2) * xx + S1));
    const d = Math.abs(t) * E49;
    const r = x + (t - d);
    if (r === x + (t + d)) return r;
  } else if (ax < TABLE_MAX && fastTableSin(x, ax)) {
    return OUT[0];
  }
  return sinExact(x);
}

/** glibc's `cos(x)`, bit for bit. */
export function cos(x: number): number {
  const ax = Math.abs(x);
  if (ax < TABLE_MAX) {
    if (ax < COS_TINY) return 1;
    // Unfused table evaluation; the bound covers a one-ulp difference in s and c plus the unfused roundings.
    const u = ax + BIG - BIG;
    const k = (u * 512) | 0;
    const xp = ax - u;
    const xx = xp * xp;
    const s = xp + xp * xx * (SN3 + xx * SN5);
    const c = xx * (0.5 + xx * (CS4 + xx * CS6));
    const sn = T[k];
    const cs = T[k + 2];
    const ps = s * sn;
    const pc = c * cs;
    const cor = T[k + 3] - s * T[k + 1] - pc - ps;
    const d = (Math.abs(ps) + Math.abs(pc) + Math.abs(T[k + 3])) * E48;
    const r = cs + (cor - d);
    if (r === cs + (cor + d)) return r;
  }
  return cosExact(x);
}

/** Out-of-line results land here rather than being returned, so they are not boxed on the heap. */
const OUT = new Float64Array(1);

/**
 * sin for 0.126 <= |x| < 0.855 into OUT[0], without emulated FMAs: proves that s and the polynomial of c
 * equal glibc's, computes the last fused step s*cs + w with an exact product, and returns false when any
 * rounding is too close to call.
 */
function fastTableSin(x: number, ax: number): boolean {
  const u = ax + BIG - BIG;
  const k = (u * 512) | 0;
  const xp = ax - u;
  const xx = xp * xp;
  const v = xp * xx * (SN3 + xx * SN5);
  const dv = Math.abs(v) * E49;
  const s = xp + (v - dv);
  if (s !== xp + (v + dv)) return false;
  const pc = xx * (CS4 + xx * CS6);
  const dc = Math.abs(pc) * E49;
  const cc = 0.5 + (pc - dc);
  if (cc !== 0.5 + (pc + dc)) return false;
  const c = xx * cc;
  const sn = T[k];
  const cs = T[k + 2];
  const sc = s * T[k + 3];
  const w1 = T[k + 1] + sc;
  const csn = c * sn;
  const w2 = w1 - csn;
  // s*cs = p + e exactly (Dekker).
  const p = s * cs;
  let t = 134217729 * s;
  const sh = t - (t - s);
  const sl = s - sh;
  t = 134217729 * cs;
  const ch = t - (t - cs);
  const cl = cs - ch;
  const e = sh * ch - p + sh * cl + sl * ch + sl * cl;
  const inner = e + w2;
  const d = (Math.abs(w1) + Math.abs(sc) + Math.abs(w2) + Math.abs(csn) + Math.abs(inner)) * E48;
  const cor = p + (inner - d);
  if (cor !== p + (inner + d)) return false;
  const r = Math.abs(sn + cor);
  OUT[0] = x < 0 ? -r : r;
  return true;
}
