/**
 * `x ** 2` as NumPy scalars evaluate it: `np.float64 ** 2` calls glibc's `pow(x, 2.0)` and
 * `np.float32 ** 2` calls `powf(x, 2.0f)`. Neither is always the correctly rounded square (pow differs
 * from `x * x` in ~0.1% of arguments, powf from the rounded float32 square in ~0.1%), so Gymnasium's
 * rewards (Pendulum) and dynamics (Acrobot) need them reproduced exactly.
 *
 * The algorithms are glibc 2.36's (from Arm optimized-routines), specialised to y = 2, with the fused
 * operations of its x86-64 FMA build. The fast paths return the exactly rounded square when it is provably
 * what pow/powf returns: their documented pre-rounding error is far below the margin tested here.
 */
import { fma } from './fma.js';
import {
  EXP2F_CONST,
  EXP2F_TAB,
  EXP_CONST,
  EXP_TAB,
  POWF_LOG2_POLY,
  POWF_LOG2_TAB,
  POW_LOG_CONST,
  POW_LOG_TAB,
} from './powTables.js';

const f64 = new Float64Array(1);
const w32 = new Int32Array(f64.buffer);
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LE ? 1 : 0;
const LO = LE ? 0 : 1;

/** 2^m for an integer -1022 <= m <= 1023, built from its bits (exact). */
function pow2i(m: number): number {
  w32[HI] = (m + 1023) << 20;
  w32[LO] = 0;
  return f64[0];
}

const SPLIT = 134217729;
/**
 * Relative margins of the fast paths, each 3x the documented worst pre-rounding error over the range where
 * they are used: pow's 0.009 ulp (exp) + 0.0011 ulp (log, |ln x^2| < 28) is below 2^-58.6 |x^2|; powf's
 * relative error for |2 log2 u| <= 16 is below 2^-28.6.
 */
const POW_MARGIN = 6.938893903907228e-18; // 2^-57
const POWF_MARGIN = 7.450580596923828e-9; // 2^-27

/** glibc's `pow(x, 2.0)`, bit for bit. */
export function pow2(x: number): number {
  const p = x * x;
  if (!(p > 9.094947017729282e-13 && p < 1099511627776)) {
    // Zero, infinities, NaN, and squares glibc computes on special-case paths (beyond ~1e±222).
    return p > 1e-222 && p < 1e222 ? pow2Exact(Math.abs(x)) : p;
  }
  // x*x = p + e exactly; p is glibc's result unless x*x lies within the margin of a rounding midpoint.
  let t = SPLIT * x;
  const xh = t - (t - x);
  const xl = x - xh;
  const e = xh * xh - p + 2 * xh * xl + xl * xl;
  const d = p * POW_MARGIN;
  if (p + (e - d) === p + (e + d)) return p;
  return pow2Exact(Math.abs(x));
}

/** pow(ax, 2) for a positive normal ax along glibc's main path: exp(2 * log(ax)). */
export function pow2Exact(ax: number): number {
  f64[0] = ax;
  const tmp = (w32[HI] - 0x3fe69555) | 0;
  const i = (tmp >>> 13) & 127;
  const k = tmp >> 20;
  w32[HI] = w32[HI] - (tmp & 0xfff00000);
  const z = f64[0];
  const invc = POW_LOG_TAB[3 * i];
  const logc = POW_LOG_TAB[3 * i + 1];
  const logctail = POW_LOG_TAB[3 * i + 2];
  const [ln2hi, ln2lo, a0, a1, a2, a3, a4, a5, a6] = POW_LOG_CONST;
  const r = fma(z, invc, -1);
  const t1 = fma(k, ln2hi, logc);
  const t2 = t1 + r;
  const lo1 = fma(k, ln2lo, logctail);
  const lo2 = t1 - t2 + r;
  const ar = a0 * r;
  const ar2 = r * ar;
  const ar3 = r * ar2;
  const hi = t2 + ar2;
  const lo3 = fma(ar, r, -ar2);
  const lo4 = t2 - hi + ar2;
  const q = fma(ar2, fma(ar2, fma(r, a6, a5), fma(r, a4, a3)), fma(r, a2, a1));
  const lo = fma(ar3, q, lo1 + lo2 + lo3 + lo4);
  const y = hi + lo;
  const tail = hi - y + lo;
  return expInline(2 * y, 2 * tail);
}

/** glibc's exp_inline: exp(x + xtail) for 2^-54 <= |x| < 512. */
function expInline(x: number, xtail: number): number {
  const ax = Math.abs(x);
  if (ax < 5.551115123125783e-17) return 1 + x;
  const [invln2N, negln2hiN, negln2loN, c2, c3, c4, c5, shift] = EXP_CONST;
  let kd = fma(x, invln2N, shift);
  kd -= shift;
  let r = fma(kd, negln2hiN, x);
  r = fma(kd, negln2loN, r);
  r = xtail + r;
  const idx = kd & 127;
  const scale = EXP_TAB[2 * idx + 1] * pow2i((kd - idx) / 128);
  const r2 = r * r;
  const tmp = fma(fma(r, c5, c4), r2 * r2, fma(fma(r, c3, c2), r2, r + EXP_TAB[2 * idx]));
  return fma(scale, tmp, scale);
}

/** glibc's `powf(u, 2.0f)` for a float32 value u, bit for bit. */
export function powf2(u: number): number {
  const p = u * u; // exact: 48 significant bits
  const au = Math.abs(u);
  if (au >= 0.00390625 && au <= 256) {
    // powf's double result is within 2^-28.6 u^2 of u^2 here: with no float32 midpoint that close, it rounds to f.
    const f = Math.fround(p);
    const d = p * POWF_MARGIN;
    if (Math.fround(p - d) === f && Math.fround(p + d) === f) return f;
    return powf2Exact(au);
  }
  return au === 0 || !Number.isFinite(u) ? Math.fround(p) : powf2Exact(au);
}

/** powf(au, 2) for a positive float32 au along glibc's main path: exp2(2 * log2(au)), rounded to float32. */
export function powf2Exact(au: number): number {
  if (!(au >= 1.1754943508222875e-38 && au < 1e18)) return Math.fround(au * au);
  f32[0] = au;
  const ix = i32[0];
  const tmp = (ix - 0x3f330000) | 0;
  const i = (tmp >>> 19) & 15;
  const top = tmp & 0xff800000;
  i32[0] = (ix - top) | 0;
  const z = f32[0];
  const k = top >> 23;
  const [a0, a1, a2, a3, a4] = POWF_LOG2_POLY;
  const r = fma(z, POWF_LOG2_TAB[2 * i], -1);
  const y0 = POWF_LOG2_TAB[2 * i + 1] + k;
  const r2 = r * r;
  const q = fma(r2, fma(r, a2, a3), fma(r, a4, y0));
  const ylogx = 2 * fma(fma(r, a0, a1), r2 * r2, q);
  if (Math.abs(ylogx) >= 126) return Math.fround(au * au);
  const [shift, c0, c1, c2] = EXP2F_CONST;
  const kd = ylogx + shift - shift;
  const ki = kd * 32;
  const idx = ki & 31;
  const s = EXP2F_TAB[idx] * pow2i((ki - idx) / 32);
  const rr = ylogx - kd;
  const y = fma(fma(rr, c0, c1), rr * rr, fma(rr, c2, 1));
  return Math.fround(y * s);
}
