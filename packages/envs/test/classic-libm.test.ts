import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cos, cosExact, npCosf, npSinf, pow2, pow2Exact, powf2, powf2Exact, sin, sinExact } from '../src/classic/libm/index.js';

// NumPy/glibc results recorded by fixtures/classic_reference.py on the same machine as the trajectories.
interface LibmSamples {
  x: number[];
  sin: number[];
  cos: number[];
  mathCos: number[];
  sq: number[];
  pow2: number[];
  u: number[];
  powf2: number[];
  f: number[];
  sinf: number[];
  cosf: number[];
}
const ref = (JSON.parse(readFileSync(new URL('./fixtures/classic_reference.json', import.meta.url), 'utf8')) as { libm: LibmSamples }).libm;

function mismatches(args: number[], expected: number[], fn: (x: number) => number): string[] {
  const bad: string[] = [];
  args.forEach((x, i) => {
    const got = fn(x);
    if (!Object.is(got, expected[i])) bad.push(`f(${x}) = ${got}, expected ${expected[i]}`);
  });
  return bad;
}

describe("glibc/NumPy math, bit for bit", () => {
  it('sin and cos (np.sin, np.cos, math.cos on float64)', () => {
    for (const f of [sin, sinExact]) expect(mismatches(ref.x, ref.sin, f)).toEqual([]);
    for (const f of [cos, cosExact]) {
      expect(mismatches(ref.x, ref.cos, f)).toEqual([]);
      expect(mismatches(ref.x, ref.mathCos, f)).toEqual([]);
    }
    // V8's fdlibm-based Math.sin differs on some of these arguments, which is why the port exists.
    expect(mismatches(ref.x, ref.sin, Math.sin).length).toBeGreaterThan(0);
  });

  it('np.float64 ** 2 (glibc pow) and np.float32 ** 2 (glibc powf)', () => {
    expect(mismatches(ref.sq, ref.pow2, pow2)).toEqual([]);
    expect(mismatches(ref.sq, ref.pow2, (x) => pow2Exact(Math.abs(x)))).toEqual([]);
    expect(mismatches(ref.u, ref.powf2, powf2)).toEqual([]);
    expect(mismatches(ref.u, ref.powf2, (x) => powf2Exact(Math.abs(x)))).toEqual([]);
  });

  it('np.sin and np.cos on float32 (NumPy SIMD kernel)', () => {
    expect(mismatches(ref.f, ref.sinf, npSinf)).toEqual([]);
    expect(mismatches(ref.f, ref.cosf, npCosf)).toEqual([]);
  });
});
