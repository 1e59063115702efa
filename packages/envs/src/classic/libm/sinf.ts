/**
 * NumPy's float32 `np.sin`/`np.cos` (its own SIMD kernel, not libm): Cody-Waite reduction by pi/2 in
 * three float32 FMAs, then minimax polynomials on [-pi/4, pi/4] evaluated with float32 FMAs. Acrobot needs
 * it for the first observation after reset, whose state is still float32. Results differ from the
 * correctly rounded float32 sine/cosine in ~0.05% of arguments.
 */
import { fma32 } from './fma.js';

const TWO_OVER_PI = 0.6366197466850281; // 0x1.45f306p-1f
const PIO2_HI = -1.570796012878418; // -0x1.921fb0p+0f
const PIO2_MED = -3.1391647326017846e-7; // -0x1.5110b4p-22f
const PIO2_LO = -5.390302529957765e-15; // -0x1.846988p-48f
const RINT_MAGIC = 12582912; // 0x1.8p23f
const COS_C8 = 2.4372266125283204e-5; // 0x1.98e616p-16f
const COS_C6 = -0.001388652017340064; // -0x1.6c06dcp-10f
const COS_C4 = 0.04166661947965622; // 0x1.55553cp-5f
const SIN_C9 = 2.8404097065504175e-6; // 0x1.7d3bbcp-19f
const SIN_C7 = -1.9856491417158395e-4; // -0x1.a06bbap-13f
const SIN_C5 = 0.008333397097885609; // 0x1.11119ap-7f
const SIN_C3 = -0.1666666716337204; // -0x1.555556p-3f
/** Beyond these NumPy calls libm's sinf/cosf, which is not reproduced here. */
const SIN_RANGE = 117435.9921875;
const COS_RANGE = 71476.0625;

function sincosf(x: number, cosine: boolean): number {
  const q = Math.fround(Math.fround(Math.fround(x * TWO_OVER_PI) + RINT_MAGIC) - RINT_MAGIC);
  let r = fma32(q, PIO2_HI, x);
  r = fma32(q, PIO2_MED, r);
  r = fma32(q, PIO2_LO, r);
  const r2 = Math.fround(r * r);
  const quadrant = q + (cosine ? 1 : 0);
  let v: number;
  if ((quadrant & 1) === 0) {
    v = fma32(fma32(fma32(SIN_C9, r2, SIN_C7), r2, SIN_C5), r2, SIN_C3);
    v = fma32(fma32(v, r2, 0), r, r);
  } else {
    v = fma32(fma32(fma32(fma32(COS_C8, r2, COS_C6), r2, COS_C4), r2, -0.5), r2, 1);
  }
  return (quadrant & 2) === 0 ? v : -v;
}

/** NumPy's `np.sin` of a float32 value (returns a float32 value). */
export function npSinf(x: number): number {
  x = Math.fround(x);
  if (x !== x) return NaN;
  if (Math.abs(x) > SIN_RANGE) return Math.fround(Math.sin(x));
  return sincosf(x, false);
}

/** NumPy's `np.cos` of a float32 value (returns a float32 value). */
export function npCosf(x: number): number {
  x = Math.fround(x);
  if (x !== x) return NaN;
  if (Math.abs(x) > COS_RANGE) return Math.fround(Math.cos(x));
  return sincosf(x, true);
}
