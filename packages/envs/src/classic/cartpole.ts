import { Env, type RgbImage } from '../env.js';
import type { EnvKwargs } from '../registry.js';
import { Box, Discrete } from '../spaces.js';
import type { BatchKernel } from '../vector.js';
import { CartPole, CartPoleBatch, CartPoleSlots, advanceOne } from './cartpoleKernel.js';
import { Kwargs } from '../kwargs.js';
import { resetBounds } from './options.js';
import { Canvas, renderSize } from './raster.js';

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
    [-CartPole.X_THRESHOLD * 2, -Infinity, -CartPole.THETA_THRESHOLD * 2, -Infinity],
    [CartPole.X_THRESHOLD * 2, Infinity, CartPole.THETA_THRESHOLD * 2, Infinity],
    [4],
  );
  readonly actionSpace = new Discrete(2);
  readonly suttonBartoReward: boolean;
  readonly renderWidth: number;
  readonly renderHeight: number;

  /** Where the state lives: the env's own one-slot set, or its slot in a vector env's batch. */
  private slots = new CartPoleSlots(1);
  private slot = 0;
  /** -1 stands for Gymnasium's None. */
  private stepsBeyond = -1;

  constructor(kwargs: EnvKwargs = {}) {
    super();
    const kw = new Kwargs('CartPole-v1', kwargs, [
      'suttonBartoReward',
      'kinematicsIntegrator',
      'renderMode',
      'renderWidth',
      'renderHeight',
    ], 'rgb_array');
    this.suttonBartoReward = kw.boolean('suttonBartoReward', false);
    this.kinematicsIntegrator = kw.choice<KinematicsIntegrator>('kinematicsIntegrator', 'euler', ['euler', 'semi-implicit euler']);
    this.renderWidth = kw.number('renderWidth', 600, renderSize, 'an integer in 1..4096');
    this.renderHeight = kw.number('renderHeight', 400, renderSize, 'an integer in 1..4096');
  }

  /** Gymnasium's `kinematics_integrator` attribute; may be changed between steps. */
  get kinematicsIntegrator(): KinematicsIntegrator {
    return this.slots.semi[this.slot] === 1 ? 'semi-implicit euler' : 'euler';
  }
  set kinematicsIntegrator(v: KinematicsIntegrator) {
    this.slots.semi[this.slot] = v === 'euler' ? 0 : 1;
  }

  override get elapsedSteps(): number {
    return this.slots.steps[this.slot];
  }
  override set elapsedSteps(n: number) {
    this.slots.steps[this.slot] = n;
  }

  get x(): number {
    return this.slots.st[4 * this.slot];
  }
  set x(v: number) {
    this.slots.st[4 * this.slot] = v;
  }
  get xDot(): number {
    return this.slots.st[4 * this.slot + 1];
  }
  set xDot(v: number) {
    this.slots.st[4 * this.slot + 1] = v;
  }
  get theta(): number {
    return this.slots.st[4 * this.slot + 2];
  }
  set theta(v: number) {
    this.slots.st[4 * this.slot + 2] = v;
  }
  get thetaDot(): number {
    return this.slots.st[4 * this.slot + 3];
  }
  set thetaDot(v: number) {
    this.slots.st[4 * this.slot + 3] = v;
  }

  resetCore(options?: Record<string, unknown>): void {
    // The common case (no options) avoids allocating the bounds pair: resets are frequent in vector envs.
    let low = -0.05;
    let high = 0.05;
    if (options !== undefined) [low, high] = resetBounds(this.id, options, low, high);
    const rng = this.rng;
    const st = this.slots.st;
    // np_random.uniform(low, high, size=(4,)): four draws in order, from one call site that V8 can inline.
    for (let k = 4 * this.slot; k < 4 * this.slot + 4; k++) st[k] = rng.uniform(low, high);
    this.stepsBeyond = -1;
  }

  stepCore(actions: ArrayLike<number>, offset: number): void {
    const terminated = advanceOne(this.slots, this.slot, actions, offset);
    this.terminated = terminated;
    this.reward = terminated ? this.terminalReward() : this.suttonBartoReward ? 0.0 : 1.0;
  }

  /** The reward of a terminated step; counts Gymnasium's steps_beyond_terminated. */
  terminalReward(): number {
    if (this.stepsBeyond < 0) {
      // The pole just fell: the terminating step still earns the step reward.
      this.stepsBeyond = 0;
      return this.suttonBartoReward ? -1.0 : 1.0;
    }
    this.stepsBeyond++;
    return this.suttonBartoReward ? -1.0 : 0.0;
  }

  writeObservation(out: Float32Array, offset: number): void {
    this.slots.observe(this.slot, out, offset);
  }

  /** Vector envs step their CartPoles together in one loop when the sub-envs agree on rewards and time limit. */
  override batchKernel(envs: readonly Env[]): BatchKernel | undefined {
    const limit = this.spec.maxEpisodeSteps;
    const alike = envs.every(
      (e): e is CartPoleEnv => e instanceof CartPoleEnv && e.suttonBartoReward === this.suttonBartoReward && e.spec.maxEpisodeSteps === limit,
    );
    return alike ? new CartPoleBatch(envs, limit ?? Infinity, this.suttonBartoReward ? 0.0 : 1.0) : undefined;
  }

  /** Moves this env's state into slot j of a batch's set; the env keeps reading and writing it there. */
  bindSlots(slots: CartPoleSlots, j: number): void {
    const from = this.slots;
    slots.st.set(from.st.subarray(4 * this.slot, 4 * this.slot + 4), 4 * j);
    slots.semi[j] = from.semi[this.slot];
    slots.steps[j] = from.steps[this.slot];
    this.slots = slots;
    this.slot = j;
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
    const st = this.slots.st;
    const so = 4 * this.slot;
    st[so] = state.x;
    st[so + 1] = state.xDot;
    st[so + 2] = state.theta;
    st[so + 3] = state.thetaDot;
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
  const scale = SCREEN_W / (CartPole.X_THRESHOLD * 2);
  const polewidth = 10.0;
  const polelen = scale * (2 * CartPole.LENGTH);
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
