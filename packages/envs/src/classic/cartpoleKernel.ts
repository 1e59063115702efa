/**
 * CartPole's dynamics over arrays of slots. A single CartPoleEnv owns a one-slot set; a vector env's batch owns
 * one slot per sub-env and rebinds the sub-envs to it. Both step through {@link advance}, so they cannot drift.
 */
import type { AutoresetMode, BatchKernel, VecBuffers } from '../vector.js';
import type { CartPoleEnv } from './cartpole.js';
import { SINCOS, sincos } from './libm/index.js';

/**
 * Gymnasium's constants, combined in the same order as its Python so every derived double is identical. A const
 * enum, so that tsc writes them into the code as literals: V8 would reload and unbox module-level consts on
 * every iteration of advance's loop.
 */
export const enum CartPole {
  GRAVITY = 9.8,
  MASSCART = 1.0,
  MASSPOLE = 0.1,
  TOTAL_MASS = MASSPOLE + MASSCART,
  /** Half the pole's length. */
  LENGTH = 0.5,
  POLEMASS_LENGTH = MASSPOLE * LENGTH,
  FORCE_MAG = 10.0,
  TAU = 0.02,
  FOUR_THIRDS = 4.0 / 3.0,
  PI = 3.141592653589793,
  THETA_THRESHOLD = (12 * 2 * PI) / 360,
  X_THRESHOLD = 2.4,
}

/**
 * Per-slot state: x, x_dot, theta, theta_dot at st[4j..4j+3] (float64, as Gymnasium keeps them), the integrator
 * at semi[j] (1: semi-implicit Euler) and TimeLimit's step counter at steps[j].
 */
export class CartPoleSlots {
  readonly st: Float64Array;
  readonly semi: Uint8Array;
  readonly steps: Float64Array;

  constructor(n: number) {
    this.st = new Float64Array(4 * n);
    this.semi = new Uint8Array(n);
    this.steps = new Float64Array(n);
  }

  /** Writes slot j's observation (float32) at out[o..o+3]. */
  observe(j: number, out: Float32Array, o: number): void {
    const st = this.st;
    out[o] = st[4 * j];
    out[o + 1] = st[4 * j + 1];
    out[o + 2] = st[4 * j + 2];
    out[o + 3] = st[4 * j + 3];
  }
}

/**
 * Gymnasium's step, in its operation order, for slots from..from+count-1: slot from+i is pushed by
 * actions[aOff + i] (1: right, else left) unless skip[i] = 1; then terminated[i] says whether it fell and
 * obs[4i..4i+3] holds its observation. One tight loop over typed arrays, sincos inlined.
 */
export function advance(
  slots: CartPoleSlots,
  from: number,
  count: number,
  actions: ArrayLike<number>,
  aOff: number,
  skip: Uint8Array,
  terminated: Uint8Array,
  obs: Float32Array,
): void {
  const { st, semi } = slots;
  for (let i = 0, o = 4 * from; i < count; i++, o += 4) {
    if (skip[i] === 1) continue;
    const xDot = st[o + 1];
    const theta = st[o + 2];
    const thetaDot = st[o + 3];
    const force = actions[aOff + i] === 1 ? CartPole.FORCE_MAG : -CartPole.FORCE_MAG;
    sincos(theta);
    const sintheta = SINCOS[0];
    const costheta = SINCOS[1];
    const temp = (force + CartPole.POLEMASS_LENGTH * (thetaDot * thetaDot) * sintheta) / CartPole.TOTAL_MASS;
    const thetaacc =
      (CartPole.GRAVITY * sintheta - costheta * temp) / (CartPole.LENGTH * (CartPole.FOUR_THIRDS - (CartPole.MASSPOLE * (costheta * costheta)) / CartPole.TOTAL_MASS));
    const xacc = temp - (CartPole.POLEMASS_LENGTH * thetaacc * costheta) / CartPole.TOTAL_MASS;
    let x: number;
    let xd: number;
    let th: number;
    let td: number;
    if (semi[from + i] === 0) {
      x = st[o] + CartPole.TAU * xDot;
      xd = xDot + CartPole.TAU * xacc;
      th = theta + CartPole.TAU * thetaDot;
      td = thetaDot + CartPole.TAU * thetaacc;
    } else {
      xd = xDot + CartPole.TAU * xacc;
      x = st[o] + CartPole.TAU * xd;
      td = thetaDot + CartPole.TAU * thetaacc;
      th = theta + CartPole.TAU * td;
    }
    st[o] = x;
    st[o + 1] = xd;
    st[o + 2] = th;
    st[o + 3] = td;
    // Gymnasium's x < -X || x > X || theta < -T || theta > T, NaN included.
    terminated[i] = Math.abs(x) > CartPole.X_THRESHOLD || Math.abs(th) > CartPole.THETA_THRESHOLD ? 1 : 0;
    const p = 4 * i;
    obs[p] = x;
    obs[p + 1] = xd;
    obs[p + 2] = th;
    obs[p + 3] = td;
  }
}

const NO_SKIP = new Uint8Array(1);
const DONE = new Uint8Array(1);
const OBS = new Float32Array(4);

/** Steps the CartPole in slot j with actions[aOff]; returns whether it terminated. */
export function advanceOne(slots: CartPoleSlots, j: number, actions: ArrayLike<number>, aOff: number): boolean {
  advance(slots, j, 1, actions, aOff, NO_SKIP, DONE, OBS);
  return DONE[0] === 1;
}

/**
 * A vector env's CartPoles, stepped by one advance over all slots and a second pass that does what VectorEnv's
 * generic loop does around stepCore (rewards, TimeLimit, autoreset) on typed arrays. The sub-envs read and write
 * their slots, so getState/setState and single steps on them stay right; only episode ends call into them.
 */
export class CartPoleBatch implements BatchKernel {
  private readonly slots: CartPoleSlots;
  private readonly noSkip: Uint8Array;

  /** `limit`: the sub-envs' common time limit (Infinity for none), fixed as Gymnasium's TimeLimit fixes it. */
  constructor(
    private readonly envs: readonly CartPoleEnv[],
    private readonly limit: number,
    private readonly stepReward: number,
  ) {
    this.slots = new CartPoleSlots(envs.length);
    this.noSkip = new Uint8Array(envs.length);
    envs.forEach((env, j) => env.bindSlots(this.slots, j));
  }

  step(actions: ArrayLike<number>, out: VecBuffers, autoreset: AutoresetMode): void {
    const n = this.envs.length;
    if (autoreset === 'next-step') {
      advance(this.slots, 0, n, actions, 0, out.pendingReset, out.terminated, out.observations);
      this.finishNextStep(out);
    } else {
      advance(this.slots, 0, n, actions, 0, this.noSkip, out.terminated, out.observations);
      this.finishSameStep(out);
    }
  }

  // The second pass: every sub-env gets the common outcome in a few stores, and the rare ones whose episode
  // ends (or, next-step, restarts) go to settle*.
  private finishNextStep(out: VecBuffers): void {
    const { limit, stepReward } = this;
    const steps = this.slots.steps;
    const { rewards, terminated, truncated, pendingReset } = out;
    for (let i = 0; i < steps.length; i++) {
      const t = steps[i] + 1;
      steps[i] = t;
      const trunc = t >= limit ? 1 : 0;
      rewards[i] = stepReward;
      truncated[i] = trunc;
      if ((pendingReset[i] | terminated[i] | trunc) !== 0) this.settleNextStep(i, out);
    }
  }

  private settleNextStep(i: number, out: VecBuffers): void {
    if (out.pendingReset[i] === 1) {
      // Skipped by advance: it restarts, with reward 0 and no flags.
      this.restart(i, out.observations);
      out.rewards[i] = 0;
      out.terminated[i] = 0;
      out.truncated[i] = 0;
      out.pendingReset[i] = 0;
    } else {
      if (out.terminated[i] === 1) out.rewards[i] = this.fell(i);
      out.pendingReset[i] = 1;
    }
  }

  private finishSameStep(out: VecBuffers): void {
    const { limit, stepReward } = this;
    const steps = this.slots.steps;
    const { rewards, terminated, truncated, hasFinal } = out;
    for (let i = 0; i < steps.length; i++) {
      const t = steps[i] + 1;
      steps[i] = t;
      const trunc = t >= limit ? 1 : 0;
      rewards[i] = stepReward;
      truncated[i] = trunc;
      hasFinal[i] = 0;
      if ((terminated[i] | trunc) !== 0) this.settleSameStep(i, out);
    }
  }

  private settleSameStep(i: number, out: VecBuffers): void {
    const { observations, finalObservations } = out;
    if (out.terminated[i] === 1) out.rewards[i] = this.fell(i);
    for (let k = 4 * i; k < 4 * i + 4; k++) finalObservations[k] = observations[k];
    out.hasFinal[i] = 1;
    this.restart(i, observations);
  }

  /** Sub-env i's pole fell this step: its reward, with Gymnasium's after-termination bookkeeping. */
  private fell(i: number): number {
    const env = this.envs[i];
    env.terminated = true;
    return env.terminalReward();
  }

  private restart(i: number, observations: Float32Array): void {
    this.envs[i].restart();
    this.slots.observe(i, observations, 4 * i);
  }
}
