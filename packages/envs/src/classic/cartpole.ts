import { Env, type RgbImage } from '../env.js';
import type { EnvKwargs } from '../registry.js';
import { Box, Discrete } from '../spaces.js';
import { cos, sin } from './libm/index.js';
import { ClassicKwargs, resetBounds } from './options.js';
import { Canvas, renderSize } from './raster.js';

// Gymnasium's constants, combined in the same order as its Python so every derived double is identical.
const GRAVITY = 9.8;
const MASSCART = 1.0;
const MASSPOLE = 0.1;
const TOTAL_MASS = MASSPOLE + MASSCART;
const LENGTH = 0.5; // half the pole's length
const POLEMASS_LENGTH = MASSPOLE * LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const FOUR_THIRDS = 4.0 / 3.0;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

/** The physical state (float64, as Gymnasium keeps it) plus its after-termination counter. */
export interface CartPoleState {
  x: number;
  xDot: number;
  theta: number;
  thetaDot: number;
  /** Gymnasium's `steps_beyond_terminated` (null until the pole falls). */
  stepsBeyondTerminated: number | null;
}

export type KinematicsIntegrator = 'euler' | 'semi-implicit euler';

/**
 * Gymnasium's `CartPole-v1` (`gymnasium/envs/classic_control/cartpole.py`, 1.x). The state is kept in
 * float64 as Gymnasium does and observed as float32. `sin`/`cos` are glibc's, bit for bit (see libm/).
 *
 * Options: `suttonBartoReward` (reward 0 per step and -1 on termination), `kinematicsIntegrator`
 * ('euler' or 'semi-implicit euler'), `renderWidth`/`renderHeight` (default 600 x 400). Reset options
 * `low`/`high` change the initial-state range (default -0.05, 0.05).
 */
export class CartPoleEnv extends Env<Float32Array, number, CartPoleState> {
  readonly observationSpace = new Box(
    [-X_THRESHOLD * 2, -Infinity, -THETA_THRESHOLD * 2, -Infinity],
    [X_THRESHOLD * 2, Infinity, THETA_THRESHOLD * 2, Infinity],
    [4],
  );
  readonly actionSpace = new Discrete(2);
  readonly suttonBartoReward: boolean;
  /** Gymnasium's `kinematics_integrator` attribute; may be changed between steps. */
  kinematicsIntegrator: KinematicsIntegrator;
  readonly renderWidth: number;
  readonly renderHeight: number;

  // State in plain number fields: this is the hottest loop of the system.
  x = 0;
  xDot = 0;
  theta = 0;
  thetaDot = 0;
  /** -1 stands for Gymnasium's None. */
  private stepsBeyond = -1;

  constructor(kwargs: EnvKwargs = {}) {
    super();
    const kw = new ClassicKwargs('CartPole-v1', kwargs, [
      'suttonBartoReward',
      'kinematicsIntegrator',
      'renderMode',
      'renderWidth',
      'renderHeight',
    ]);
    kw.renderMode();
    this.suttonBartoReward = kw.boolean('suttonBartoReward', false);
    this.kinematicsIntegrator = kw.choice<KinematicsIntegrator>('kinematicsIntegrator', 'euler', ['euler', 'semi-implicit euler']);
    this.renderWidth = kw.number('renderWidth', 600, renderSize, 'an integer in 1..4096');
    this.renderHeight = kw.number('renderHeight', 400, renderSize, 'an integer in 1..4096');
  }

  resetCore(options?: Record<string, unknown>): void {
    // The common case (no options) avoids allocating the bounds pair: resets are frequent in vector envs.
    let low = -0.05;
    let high = 0.05;
    if (options !== undefined) [low, high] = resetBounds(this.id, options, low, high);
    const rng = this.rng;
    // np_random.uniform(low, high, size=(4,)): four draws in order.
    this.x = rng.uniform(low, high);
    this.xDot = rng.uniform(low, high);
    this.theta = rng.uniform(low, high);
    this.thetaDot = rng.uniform(low, high);
    this.stepsBeyond = -1;
  }

  stepCore(actions: ArrayLike<number>, offset: number): void {
    const force = actions[offset] === 1 ? FORCE_MAG : -FORCE_MAG;
    const theta = this.theta;
    const thetaDot = this.thetaDot;
    const costheta = cos(theta);
    const sintheta = sin(theta);
    const temp = (force + POLEMASS_LENGTH * (thetaDot * thetaDot) * sintheta) / TOTAL_MASS;
    const thetaacc =
      (GRAVITY * sintheta - costheta * temp) / (LENGTH * (FOUR_THIRDS - (MASSPOLE * (costheta * costheta)) / TOTAL_MASS));
    const xacc = temp - (POLEMASS_LENGTH * thetaacc * costheta) / TOTAL_MASS;
    let x: number;
    let th: number;
    if (this.kinematicsIntegrator === 'euler') {
      x = this.x + TAU * this.xDot;
      this.xDot = this.xDot + TAU * xacc;
      th = theta + TAU * thetaDot;
      this.thetaDot = thetaDot + TAU * thetaacc;
    } else {
      this.xDot = this.xDot + TAU * xacc;
      x = this.x + TAU * this.xDot;
      this.thetaDot = thetaDot + TAU * thetaacc;
      th = theta + TAU * this.thetaDot;
    }
    this.x = x;
    this.theta = th;
    const terminated = x < -X_THRESHOLD || x > X_THRESHOLD || th < -THETA_THRESHOLD || th > THETA_THRESHOLD;
    this.terminated = terminated;
    if (!terminated) {
      this.reward = this.suttonBartoReward ? 0.0 : 1.0;
    } else if (this.stepsBeyond < 0) {
      // The pole just fell: the terminating step still earns the step reward.
      this.stepsBeyond = 0;
      this.reward = this.suttonBartoReward ? -1.0 : 1.0;
    } else {
      this.stepsBeyond++;
      this.reward = this.suttonBartoReward ? -1.0 : 0.0;
    }
  }

  writeObservation(out: Float32Array, offset: number): void {
    out[offset] = this.x;
    out[offset + 1] = this.xDot;
    out[offset + 2] = this.theta;
    out[offset + 3] = this.thetaDot;
  }

  protected observe(): Float32Array {
    const out = new Float32Array(4);
    this.writeObservation(out, 0);
    return out;
  }

  protected getCoreState(): CartPoleState {
    const { x, xDot, theta, thetaDot } = this;
    return { x, xDot, theta, thetaDot, stepsBeyondTerminated: this.stepsBeyond < 0 ? null : this.stepsBeyond };
  }

  protected setCoreState(state: CartPoleState): void {
    this.x = state.x;
    this.xDot = state.xDot;
    this.theta = state.theta;
    this.thetaDot = state.thetaDot;
    this.stepsBeyond = state.stepsBeyondTerminated ?? -1;
  }

  /** Draws the current state as Gymnasium's `rgb_array` render does, scaled to renderWidth x renderHeight. */
  override render(): RgbImage {
    const data = new Uint8Array(this.renderWidth * this.renderHeight * 3);
    this.renderInto(data);
    return { width: this.renderWidth, height: this.renderHeight, data };
  }

  /** Renders into a caller's buffer (renderWidth * renderHeight * 3 bytes), allocating nothing. */
  renderInto(data: Uint8Array): void {
    const c = new Canvas(this.renderWidth, this.renderHeight, SCREEN_W, SCREEN_H, data);
    drawCartPole(c, this.x, this.theta);
  }
}

const SCREEN_W = 600;
const SCREEN_H = 400;
const polyX = new Float64Array(4);
const polyY = new Float64Array(4);

/** Gymnasium's geometry: a 50 x 30 cart whose top is at y = 100, a 10-wide pole rotated by -theta about the axle. */
function drawCartPole(c: Canvas, x: number, theta: number): void {
  const scale = SCREEN_W / (X_THRESHOLD * 2);
  const polewidth = 10.0;
  const polelen = scale * (2 * LENGTH);
  const cartwidth = 50.0;
  const cartheight = 30.0;
  c.fill(255, 255, 255);
  const cartx = x * scale + SCREEN_W / 2.0;
  const carty = 100;
  const axleoffset = cartheight / 4.0;
  setRect(-cartwidth / 2, cartwidth / 2, cartheight / 2, -cartheight / 2);
  for (let k = 0; k < 4; k++) {
    polyX[k] += cartx;
    polyY[k] += carty;
  }
  c.fillConvexPolygon(polyX, polyY, 4, 0, 0, 0);
  setRect(-polewidth / 2, polewidth / 2, polelen - polewidth / 2, -polewidth / 2);
  // pygame's Vector2.rotate_rad(-theta): counter-clockwise by -theta.
  const ca = Math.cos(-theta);
  const sa = Math.sin(-theta);
  for (let k = 0; k < 4; k++) {
    const px = polyX[k];
    const py = polyY[k];
    polyX[k] = px * ca - py * sa + cartx;
    polyY[k] = px * sa + py * ca + carty + axleoffset;
  }
  c.fillConvexPolygon(polyX, polyY, 4, 202, 152, 101);
  c.fillCircle(Math.trunc(cartx), Math.trunc(carty + axleoffset), Math.trunc(polewidth / 2), 129, 132, 203);
  c.hline(carty, 0, 0, 0);
}

/** The corners (l, b), (l, t), (r, t), (r, b). */
function setRect(l: number, r: number, t: number, b: number): void {
  polyX[0] = l;
  polyY[0] = b;
  polyX[1] = l;
  polyY[1] = t;
  polyX[2] = r;
  polyY[2] = t;
  polyX[3] = r;
  polyY[3] = b;
}
