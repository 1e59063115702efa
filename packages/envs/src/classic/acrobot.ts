import { Env, type RgbImage } from '../env.js';
import type { EnvKwargs } from '../registry.js';
import { Box, Discrete } from '../spaces.js';
import { cos, npCosf, npSinf, pow2, sin } from './libm/index.js';
import { Kwargs } from '../kwargs.js';
import { resetBounds } from './options.js';
import { Canvas, renderSize } from './raster.js';

const DT = 0.2;
const HALF_DT = DT / 2.0;
const SIXTH_DT = DT / 6.0;
const PI = Math.PI;
const MAX_VEL_1 = 4 * PI;
const MAX_VEL_2 = 9 * PI;
const AVAIL_TORQUE = [-1.0, 0.0, +1];
// Link parameters, combined exactly as `_dsdt` combines them (m1 = m2 = l1 = I1 = I2 = 1, lc1 = lc2 = 0.5).
const M1 = 1.0;
const M2 = 1.0;
const L1 = 1.0;
const LC1 = 0.5;
const LC2 = 0.5;
const I1 = 1.0;
const I2 = 1.0;
const G = 9.8;
const D1_A = M1 * (LC1 * LC1); // m1 * lc1**2
const D1_B = L1 * L1 + LC2 * LC2; // l1**2 + lc2**2
const D1_C = 2 * L1 * LC2;
const D2_C = L1 * LC2;
const PHI2_K = M2 * LC2 * G;
const PHI1_A = -M2 * L1 * LC2;
const PHI1_B = 2 * M2 * L1 * LC2;
const PHI1_C = (M1 * LC1 + M2 * L1) * G;
const DDT2_K = M2 * L1 * LC2;
const DDT2_DEN = M2 * (LC2 * LC2) + I2;

export type AcrobotDynamics = 'book' | 'nips';

export interface AcrobotState {
  /** theta1, theta2, dtheta1, dtheta2 (float64 values; float32 ones right after reset). */
  s: [number, number, number, number];
  /** True between reset and the first step, while Gymnasium's state is still a float32 array. */
  float32State: boolean;
}

/**
 * Gymnasium's `Acrobot-v1` (`gymnasium/envs/classic_control/acrobot.py`, 1.x): one RK4 step of length 0.2
 * per action (`rk4` with its exact evaluation order), angles wrapped to [-pi, pi] and velocities bounded.
 * The reset state is float32 (`.astype(np.float32)`), so the first observation uses NumPy's float32
 * sin/cos; afterwards the state is float64 and uses glibc's. `** 2` is glibc's pow (see libm/).
 *
 * Options: `bookOrNips` ('book' dynamics by default), `torqueNoiseMax` (default 0), `renderWidth`/
 * `renderHeight` (default 500 x 500). Reset options `low`/`high` (default -0.1, 0.1).
 */
export class AcrobotEnv extends Env<Float32Array, number, AcrobotState> {
  readonly observationSpace = new Box([-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2], [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2], [6]);
  readonly actionSpace = new Discrete(3);
  /** Gymnasium's `book_or_nips` attribute. */
  bookOrNips: AcrobotDynamics;
  /** Gymnasium's `torque_noise_max` attribute. */
  torqueNoiseMax: number;
  readonly renderWidth: number;
  readonly renderHeight: number;
  readonly s = new Float64Array(4);
  float32State = false;
  // RK4 scratch: the augmented state y = [s, torque], the derivative and the running sum.
  private readonly y0 = new Float64Array(5);
  private readonly yi = new Float64Array(5);
  private readonly k = new Float64Array(5);
  private readonly sum = new Float64Array(5);

  constructor(kwargs: EnvKwargs = {}) {
    super();
    const kw = new Kwargs('Acrobot-v1', kwargs, ['bookOrNips', 'torqueNoiseMax', 'renderMode', 'renderWidth', 'renderHeight'], 'rgb_array');
    this.bookOrNips = kw.choice<AcrobotDynamics>('bookOrNips', 'book', ['book', 'nips']);
    this.torqueNoiseMax = kw.number('torqueNoiseMax', 0, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0');
    this.renderWidth = kw.number('renderWidth', 500, renderSize, 'an integer in 1..4096');
    this.renderHeight = kw.number('renderHeight', 500, renderSize, 'an integer in 1..4096');
  }

  resetCore(options?: Record<string, unknown>): void {
    const [low, high] = resetBounds(this.id, options, -0.1, 0.1);
    for (let i = 0; i < 4; i++) this.s[i] = Math.fround(this.rng.uniform(low, high));
    this.float32State = true;
  }

  stepCore(actions: ArrayLike<number>, offset: number): void {
    let torque = AVAIL_TORQUE[actions[offset]];
    if (this.torqueNoiseMax > 0) torque += this.rng.uniform(-this.torqueNoiseMax, this.torqueNoiseMax);
    const { s, y0, yi, k, sum } = this;
    for (let i = 0; i < 4; i++) y0[i] = s[i];
    y0[4] = torque;
    // rk4(derivs, y0, [0, dt]): k1..k4, then y0 + dt/6 * (k1 + 2 k2 + 2 k3 + k4), element by element.
    this.dsdt(y0);
    for (let i = 0; i < 5; i++) {
      sum[i] = k[i];
      yi[i] = y0[i] + HALF_DT * k[i];
    }
    this.dsdt(yi);
    for (let i = 0; i < 5; i++) {
      sum[i] = sum[i] + 2 * k[i];
      yi[i] = y0[i] + HALF_DT * k[i];
    }
    this.dsdt(yi);
    for (let i = 0; i < 5; i++) {
      sum[i] = sum[i] + 2 * k[i];
      yi[i] = y0[i] + DT * k[i];
    }
    this.dsdt(yi);
    for (let i = 0; i < 4; i++) s[i] = y0[i] + SIXTH_DT * (sum[i] + k[i]);
    s[0] = wrap(s[0], -PI, PI);
    s[1] = wrap(s[1], -PI, PI);
    s[2] = bound(s[2], -MAX_VEL_1, MAX_VEL_1);
    s[3] = bound(s[3], -MAX_VEL_2, MAX_VEL_2);
    this.float32State = false;
    this.terminated = -cos(s[0]) - cos(s[1] + s[0]) > 1.0;
    this.reward = this.terminated ? 0.0 : -1.0;
  }

  /** Gymnasium's `_dsdt` at the augmented state y, written into this.k. */
  private dsdt(y: Float64Array): void {
    const theta1 = y[0];
    const theta2 = y[1];
    const dtheta1 = y[2];
    const dtheta2 = y[3];
    const a = y[4];
    const c2 = cos(theta2);
    const s2 = sin(theta2);
    const d1 = D1_A + M2 * (D1_B + D1_C * c2) + I1 + I2;
    const d2 = M2 * (LC2 * LC2 + D2_C * c2) + I2;
    const phi2 = PHI2_K * cos(theta1 + theta2 - PI / 2.0);
    const phi1 = PHI1_A * pow2(dtheta2) * s2 - PHI1_B * dtheta2 * dtheta1 * s2 + PHI1_C * cos(theta1 - PI / 2) + phi2;
    let ddtheta2: number;
    if (this.bookOrNips === 'nips') {
      ddtheta2 = (a + (d2 / d1) * phi1 - phi2) / (DDT2_DEN - pow2(d2) / d1);
    } else {
      ddtheta2 = (a + (d2 / d1) * phi1 - DDT2_K * pow2(dtheta1) * s2 - phi2) / (DDT2_DEN - pow2(d2) / d1);
    }
    const k = this.k;
    k[0] = dtheta1;
    k[1] = dtheta2;
    k[2] = -(d2 * ddtheta2 + phi1) / d1;
    k[3] = ddtheta2;
    k[4] = 0.0;
  }

  writeObservation(out: Float32Array, offset: number): void {
    const s = this.s;
    if (this.float32State) {
      out[offset] = npCosf(s[0]);
      out[offset + 1] = npSinf(s[0]);
      out[offset + 2] = npCosf(s[1]);
      out[offset + 3] = npSinf(s[1]);
    } else {
      out[offset] = cos(s[0]);
      out[offset + 1] = sin(s[0]);
      out[offset + 2] = cos(s[1]);
      out[offset + 3] = sin(s[1]);
    }
    out[offset + 4] = s[2];
    out[offset + 5] = s[3];
  }

  protected observe(): Float32Array {
    const out = new Float32Array(6);
    this.writeObservation(out, 0);
    return out;
  }

  protected getCoreState(): AcrobotState {
    const s = this.s;
    return { s: [s[0], s[1], s[2], s[3]], float32State: this.float32State };
  }

  protected setCoreState(state: AcrobotState): void {
    this.s.set(state.s);
    this.float32State = state.float32State;
  }

  /** Gymnasium's drawing: the target line, two links and their joints. */
  override render(): RgbImage {
    const data = new Uint8Array(this.renderWidth * this.renderHeight * 3);
    const dim = 500;
    const c = new Canvas(this.renderWidth, this.renderHeight, dim, dim, data);
    c.fill(255, 255, 255);
    const scale = dim / ((L1 + 1.0 + 0.2) * 2);
    const offset = dim / 2;
    const s = this.s;
    // Joint positions with Gymnasium's coordinate swap (xys[:, ::-1]); the links point along theta - pi/2.
    const p1x = -L1 * Math.cos(s[0]) * scale;
    const p1y = L1 * Math.sin(s[0]) * scale;
    c.line(-2.2 * scale + offset, 1 * scale + offset, 2.2 * scale + offset, 1 * scale + offset, 1, 0, 0, 0);
    const joints = [
      [0, 0, s[0] - PI / 2],
      [p1y, p1x, s[0] + s[1] - PI / 2],
    ];
    for (const [jx, jy, th] of joints) {
      const x = jx + offset;
      const y = jy + offset;
      const len = 1.0 * scale;
      c.line(x, y, x + Math.cos(th) * len, y + Math.sin(th) * len, 0.2 * scale, 0, 204, 204);
      c.fillCircle(Math.trunc(x), Math.trunc(y), Math.trunc(0.1 * scale), 204, 204, 0);
    }
    return { width: this.renderWidth, height: this.renderHeight, data };
  }
}

/** Gymnasium's `wrap`: shifts x by whole periods until m <= x <= M. */
function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  while (x > M) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

/** Gymnasium's `bound`: min(max(x, m), M). */
function bound(x: number, m: number, M: number): number {
  return Math.min(Math.max(x, m), M);
}
