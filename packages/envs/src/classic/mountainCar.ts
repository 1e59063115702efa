import { Env, type RgbImage } from '../env.js';
import type { EnvKwargs } from '../registry.js';
import { Box, Discrete } from '../spaces.js';
import { cos } from './libm/index.js';
import { Kwargs } from '../kwargs.js';
import { resetBounds } from './options.js';
import { Canvas, renderSize } from './raster.js';

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.5;
const FORCE = 0.001;
const GRAVITY = 0.0025;

export interface MountainCarState {
  position: number;
  velocity: number;
}

/**
 * Gymnasium's `MountainCar-v0` (`gymnasium/envs/classic_control/mountain_car.py`, 1.x): velocity is
 * updated and clipped first, then position is moved and clipped, and hitting the left wall while moving
 * left stops the car. `math.cos` is glibc's, bit for bit (see libm/).
 *
 * Options: `goalVelocity` (default 0), `renderWidth`/`renderHeight` (default 600 x 400). Reset options
 * `low`/`high` change the initial-position range (default -0.6, -0.4); the velocity starts at 0.
 */
export class MountainCarEnv extends Env<Float32Array, number, MountainCarState> {
  readonly observationSpace = new Box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED], [2]);
  readonly actionSpace = new Discrete(3);
  readonly goalVelocity: number;
  readonly renderWidth: number;
  readonly renderHeight: number;
  position = 0;
  velocity = 0;

  constructor(kwargs: EnvKwargs = {}) {
    super();
    const kw = new Kwargs('MountainCar-v0', kwargs, ['goalVelocity', 'renderMode', 'renderWidth', 'renderHeight'], 'rgb_array');
    this.goalVelocity = kw.number('goalVelocity', 0);
    this.renderWidth = kw.number('renderWidth', 600, renderSize, 'an integer in 1..4096');
    this.renderHeight = kw.number('renderHeight', 400, renderSize, 'an integer in 1..4096');
  }

  resetCore(options?: Record<string, unknown>): void {
    const [low, high] = resetBounds(this.id, options, -0.6, -0.4);
    this.position = this.rng.uniform(low, high);
    this.velocity = 0;
  }

  stepCore(actions: ArrayLike<number>, offset: number): void {
    const action = actions[offset];
    let velocity = this.velocity + ((action - 1) * FORCE + cos(3 * this.position) * -GRAVITY);
    velocity = Math.min(Math.max(velocity, -MAX_SPEED), MAX_SPEED);
    let position = this.position + velocity;
    position = Math.min(Math.max(position, MIN_POSITION), MAX_POSITION);
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    this.position = position;
    this.velocity = velocity;
    this.terminated = position >= GOAL_POSITION && velocity >= this.goalVelocity;
    this.reward = -1.0;
  }

  writeObservation(out: Float32Array, offset: number): void {
    out[offset] = this.position;
    out[offset + 1] = this.velocity;
  }

  protected observe(): Float32Array {
    const out = new Float32Array(2);
    this.writeObservation(out, 0);
    return out;
  }

  protected getCoreState(): MountainCarState {
    return { position: this.position, velocity: this.velocity };
  }

  protected setCoreState(state: MountainCarState): void {
    this.position = state.position;
    this.velocity = state.velocity;
  }

  /** Gymnasium's drawing: the hill, the car tilted with the slope, its wheels and the flag. */
  override render(): RgbImage {
    const data = new Uint8Array(this.renderWidth * this.renderHeight * 3);
    const c = new Canvas(this.renderWidth, this.renderHeight, 600, 400, data);
    c.fill(255, 255, 255);
    const scale = 600 / (MAX_POSITION - MIN_POSITION);
    const height = (xs: number): number => Math.sin(3 * xs) * 0.45 + 0.55;
    let px = 0;
    let py = height(MIN_POSITION) * scale;
    for (let k = 1; k < 100; k++) {
      const xs = MIN_POSITION + ((MAX_POSITION - MIN_POSITION) * k) / 99;
      const nx = (xs - MIN_POSITION) * scale;
      const ny = height(xs) * scale;
      c.line(px, py, nx, ny, 1, 0, 0, 0);
      px = nx;
      py = ny;
    }
    const pos = this.position;
    const angle = Math.cos(3 * pos);
    const ca = Math.cos(angle);
    const sa = Math.sin(angle);
    const bx = (pos - MIN_POSITION) * scale;
    const by = 10 + height(pos) * scale;
    const xs = [-20, -20, 20, 20];
    const ys = [0, 20, 20, 0];
    const qx = xs.map((x, k) => x * ca - ys[k] * sa + bx);
    const qy = xs.map((x, k) => x * sa + ys[k] * ca + by);
    c.fillConvexPolygon(qx, qy, 4, 0, 0, 0);
    for (const wx of [10, -10]) {
      c.fillCircle(Math.trunc(wx * ca + bx), Math.trunc(wx * sa + by), Math.trunc(20 / 2.5), 128, 128, 128);
    }
    const flagx = Math.trunc((GOAL_POSITION - MIN_POSITION) * scale);
    const flagy1 = Math.trunc(height(GOAL_POSITION) * scale);
    const flagy2 = flagy1 + 50;
    c.line(flagx, flagy1, flagx, flagy2, 1, 0, 0, 0);
    c.fillConvexPolygon([flagx, flagx, flagx + 25], [flagy2, flagy2 - 10, flagy2 - 5], 3, 204, 204, 0);
    return { width: this.renderWidth, height: this.renderHeight, data };
  }
}
