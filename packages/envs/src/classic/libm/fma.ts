/**
 * Fused multiply-add with a single rounding, emulated with error-free transformations.
 *
 * glibc's x86-64 libm runs FMA-compiled variants of sin, cos, pow and powf on every CPU that has FMA3
 * (all x86-64 CPUs from 2013 on), and the compiler fused many `a*b + c` there. JavaScript has no fused
 * operation, so reproducing those results bit for bit needs an exact emulation.
 */

/** Veltkamp's splitting constant 2^27 + 1. */
const SPLIT = 134217729;

/** `a * b + c` rounded once to the nearest double (ties to even), for finite, non-extreme inputs. */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || !Number.isFinite(c)) return p + c;
  // Dekker's product: a*b = p + e exactly.
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  // Knuth's two-sum: p + c = s + tt exactly.
  const s = p + c;
  let z = s - p;
  const tt = p - (s - z) + (c - z);
  // tt + e = u + v exactly.
  const u = tt + e;
  z = u - tt;
  const v = tt - (u - z) + (e - z);
  // s + u = r + w exactly; the exact result is r + w + v with |v| far below half an ulp of r.
  const r = s + u;
  z = r - s;
  const w = s - (r - z) + (u - z);
  // Only when s + u was an exact tie can v change the rounding: it breaks the tie.
  if (v !== 0 && w !== 0) {
    const other = r + 2 * w;
    if (other - r === 2 * w && v > 0 === w > 0) return other;
  }
  return r;
}

/** `a * b + c` on float32 values, rounded once to the nearest float32 (as a hardware `vfmadd...ss`). */
export function fma32(a: number, b: number, c: number): number {
  // The product of two float32 values is exact in a double.
  const p = a * b;
  const s = p + c;
  const f = Math.fround(s);
  const z = s - p;
  const err = p - (s - z) + (c - z);
  if (err === 0) return f;
  // s was rounded: if it landed exactly on a float32 midpoint, the sign of the lost part decides.
  const other = 2 * s - f;
  if (other !== f && Math.fround(other) === other && (f + other) / 2 === s) {
    return err > 0 === other > f ? other : f;
  }
  return f;
}
