import { Env, type RgbImage } from '../env.js';
import type { EnvKwargs } from '../registry.js';
import { Box } from '../spaces.js';
import { cos, pow2, powf2, sin } from './libm/index.js';
import { Kwargs } from '../kwargs.js';
import { verifyNumber } from './options.js';
import { Canvas, renderSize } from './raster.js';

const MAX_SPEED = 8;
const MAX_TORQUE = 2.0;
const DT = 0.05;
const M = 1.0;
const L = 1.0;
const TWO_PI = 2 * Math.PI;
/** The Python float 0.001 meets the float32 `u**2`: under NumPy 2 (NEP 50) it becomes float32. */
const F32_0_001 = Math.fround(0.001);
/** `3.0 / (m * l**2)` likewise multiplies the float32 torque in float32. */
const F32_TORQUE_GAIN = Math.fround(3.0 / (M * (L * L)));

export interface PendulumState {
  th: number;
  thdot: number;
  /** The torque of the last step (for rendering), null right after reset. */
  lastU: number | null;
}

/** Gymnasium's `angle_normalize`: ((x + pi) mod 2pi) - pi with Python's floored modulo. */
export function angleNormalize(x: number): number {
  const a = x + Math.PI;
  let m = a % TWO_PI;
  if (m !== 0) {
    if (m < 0) m += TWO_PI;
  } else {
    m = 0;
  }
  return m - Math.PI;
}

/**
 * Gymnasium's `Pendulum-v1` (`gymnasium/envs/classic_control/pendulum.py`, 1.x): float64 state, float32
 * observations [cos th, sin th, thdot] and a float32 torque in Box(-2, 2, (1,)). The torque is float32 as
 * NumPy sees it (`u = np.clip(u, -2, 2)[0]` of a float32 action), so the terms that mix it with Python
 * floats are computed in float32, and `** 2` is glibc's pow/powf (see libm/).
 *
 * Options: `g` (gravity, default 10.0), `renderWidth`/`renderHeight` (default 500 x 500). Reset options
 * `x_init`/`y_init` set the initial angle and velocity ranges (default pi and 1.0).
 */
export class PendulumEnv extends Env<Float32Array, Float32Array, PendulumState> {
  readonly observationSpace = new Box([-1.0, -1.0, -MAX_SPEED], [1.0, 1.0, MAX_SPEED], [3]);
  readonly actionSpace = new Box(-MAX_TORQUE, MAX_TORQUE, [1]);
  readonly g: number;
  readonly renderWidth: number;
  readonly renderHeight: number;
  th = 0;
  thdot = 0;
  lastU: number | null = null;
  /** `3 * g / (2 * l)`, in Python's evaluation order. */
  private readonly gravityGain: number;

  constructor(kwargs: EnvKwargs = {}) {
    super();
    const kw = new Kwargs('Pendulum-v1', kwargs, ['g', 'renderMode', 'renderWidth', 'renderHeight'], 'rgb_array');
    this.g = kw.number('g', 10.0);
    this.gravityGain = (3 * this.g) / (2 * L);
    this.renderWidth = kw.number('renderWidth', 500, renderSize, 'an integer in 1..4096');
    this.renderHeight = kw.number('renderHeight', 500, renderSize, 'an integer in 1..4096');
  }

  resetCore(options?: Record<string, unknown>): void {
    let x = Math.PI;
    let y = 1.0;
    if (options !== undefined && options !== null) {
      if ('x_init' in options) x = verifyNumber(this.id, options.x_init);
      if ('y_init' in options) y = verifyNumber(this.id, options.y_init);
    }
    // np_random.uniform(low=-high, high=high) with high = [x, y]: one draw per element, in order.
    const rng = this.rng;
    this.th = rng.uniform(-x, x);
    this.thdot = rng.uniform(-y, y);
    this.lastU = null;
  }

  stepCore(actions: ArrayLike<number>, offset: number): void {
    const th = this.th;
    const thdot = this.thdot;
    // np.clip of the float32 action stays float32; the bounds are exact in float32.
    const u = Math.min(Math.max(Math.fround(actions[offset]), -MAX_TORQUE), MAX_TORQUE);
    this.lastU = u;
    const costs = pow2(angleNormalize(th)) + 0.1 * pow2(thdot) + Math.fround(F32_0_001 * powf2(u));
    let newthdot = thdot + (this.gravityGain * sin(th) + Math.fround(F32_TORQUE_GAIN * u)) * DT;
    newthdot = Math.min(Math.max(newthdot, -MAX_SPEED), MAX_SPEED);
    this.th = th + newthdot * DT;
    this.thdot = newthdot;
    this.reward = -costs;
    this.terminated = false;
  }

  writeObservation(out: Float32Array, offset: number): void {
    out[offset] = cos(this.th);
    out[offset + 1] = sin(this.th);
    out[offset + 2] = this.thdot;
  }

  protected observe(): Float32Array {
    const out = new Float32Array(3);
    this.writeObservation(out, 0);
    return out;
  }

  protected getCoreState(): PendulumState {
    return { th: this.th, thdot: this.thdot, lastU: this.lastU };
  }

  protected setCoreState(state: PendulumState): void {
    this.th = state.th;
    this.thdot = state.thdot;
    this.lastU = state.lastU;
  }

  /** Gymnasium's drawing without the torque-arrow image: the rod, its end caps and the axle. */
  override render(): RgbImage {
    const data = new Uint8Array(this.renderWidth * this.renderHeight * 3);
    const dim = 500;
    const c = new Canvas(this.renderWidth, this.renderHeight, dim, dim, data);
    c.fill(255, 255, 255);
    const scale = dim / (2.2 * 2);
    const offset = Math.floor(dim / 2);
    const rodLength = 1 * scale;
    const rodWidth = 0.2 * scale;
    // The rod rotated by th + pi/2 about the centre (pygame's rotate_rad: counter-clockwise).
    const a = this.th + Math.PI / 2;
    const ex = Math.cos(a) * rodLength + offset;
    const ey = Math.sin(a) * rodLength + offset;
    c.line(offset, offset, ex, ey, rodWidth, 204, 77, 77);
    c.fillCircle(offset, offset, Math.trunc(rodWidth / 2), 204, 77, 77);
    c.fillCircle(Math.trunc(ex), Math.trunc(ey), Math.trunc(rodWidth / 2), 204, 77, 77);
    c.fillCircle(offset, offset, Math.trunc(0.05 * scale), 0, 0, 0);
    return { width: this.renderWidth, height: this.renderHeight, data };
  }
}
