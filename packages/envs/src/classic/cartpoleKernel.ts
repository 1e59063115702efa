/**
 * CartPole's dynamics over arrays of slots. A single CartPoleEnv owns a one-slot set; a vector env's batch owns
 * one slot per sub-env and rebinds the sub-envs to it. Both step through {@link advance}, so they cannot drift.
 */
import type { AutoresetMode, BatchKernel, VecBuffers } from '../vector.js';
import type { CartPoleEnv } from './cartpole.js';
import { sincos } from './libm/index.js';

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
  /** Scratch for advanceOne, laid out like the slots: no skips, terminations, observations. */
  readonly none: Uint8Array;
  readonly fell: Uint8Array;
  readonly obs: Float32Array;

  constructor(n: number) {
    this.st = new Float64Array(4 * n);
    this.semi = new Uint8Array(n);
    this.steps = new Float64Array(n);
    this.none = new Uint8Array(n);
    this.fell = new Uint8Array(n);
    this.obs = new Float32Array(4 * n);
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
 * Gymnasium's step, in its operation order, for slots from..from+count-1: slot j = from + i is pushed by
 * actions[aOff + i] (1: right, else left) unless skip[j] = 1; then terminated[j] says whether it fell and
 * obs[4j..4j+3] holds its observation (skip, terminated and obs are laid out like the slots, so one index serves
 * all). One tight loop over typed arrays, sincos inlined.
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
  const trig = TRIG;
  const a0 = aOff - from;
  const end = from + count;
  for (let j = from, o = 4 * from; j < end; j++, o += 4) {
    if (skip[j] === 1) continue;
    const xDot = st[o + 1];
    const theta = st[o + 2];
    const thetaDot = st[o + 3];
    const force = actions[a0 + j] === 1 ? CartPole.FORCE_MAG : -CartPole.FORCE_MAG;
    sincos(theta, trig);
    const sintheta = trig[0];
    const costheta = trig[1];
    const temp = (force + CartPole.POLEMASS_LENGTH * (thetaDot * thetaDot) * sintheta) / CartPole.TOTAL_MASS;
    const thetaacc =
      (CartPole.GRAVITY * sintheta - costheta * temp) / (CartPole.LENGTH * (CartPole.FOUR_THIRDS - (CartPole.MASSPOLE * (costheta * costheta)) / CartPole.TOTAL_MASS));
    const xacc = temp - (CartPole.POLEMASS_LENGTH * thetaacc * costheta) / CartPole.TOTAL_MASS;
    let x: number;
    let xd: number;
    let th: number;
    let td: number;
    if (semi[j] === 0) {
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
    terminated[j] = Math.abs(x) > CartPole.X_THRESHOLD || Math.abs(th) > CartPole.THETA_THRESHOLD ? 1 : 0;
    obs[o] = x;
    obs[o + 1] = xd;
    obs[o + 2] = th;
    obs[o + 3] = td;
  }
}

/** TypedArray.fill is a native call: far cheaper than a loop for many sub-envs, dearer for a few. */
function fill(a: Float64Array | Uint8Array, v: number): void {
  if (a.length >= 32) a.fill(v);
  else for (let i = 0; i < a.length; i++) a[i] = v;
}

/** sincos's output. */
const TRIG = new Float64Array(2);

/** Steps the CartPole in slot j with actions[aOff]; returns whether it terminated. */
export function advanceOne(slots: CartPoleSlots, j: number, actions: ArrayLike<number>, aOff: number): boolean {
  advance(slots, j, 1, actions, aOff, slots.none, slots.fell, slots.obs);
  return slots.fell[j] === 1;
}

/**
 * A vector env's CartPoles, stepped by one advance over all slots and a second pass that does what VectorEnv's
 * generic loop does around stepCore (rewards, TimeLimit, autoreset) on typed arrays. The sub-envs read and write
 * their slots, so getState/setState and single steps on them stay right; only episode ends call into them.
 */
export class CartPoleBatch implements BatchKernel {
  private readonly slots: CartPoleSlots;

  /** `limit`: the sub-envs' common time limit (Infinity for none), fixed as Gymnasium's TimeLimit fixes it. */
  constructor(
    private readonly envs: readonly CartPoleEnv[],
    private readonly limit: number,
    private readonly stepReward: number,
  ) {
    this.slots = new CartPoleSlots(envs.length);
    envs.forEach((env, j) => env.bindSlots(this.slots, j));
  }

  step(actions: ArrayLike<number>, out: VecBuffers, autoreset: AutoresetMode): void {
    const n = this.envs.length;
    if (autoreset === 'next-step') {
      advance(this.slots, 0, n, actions, 0, out.pendingReset, out.terminated, out.observations);
      this.finishNextStep(out);
    } else {
      advance(this.slots, 0, n, actions, 0, this.slots.none, out.terminated, out.observations);
      this.finishSameStep(out);
    }
  }

  // The second pass. Most sub-envs get the step reward and no flags, filled natively; the loop counts steps and
  // hands the rare sub-envs whose episode ends (or, next-step, restarts) to settle*.
  private finishNextStep(out: VecBuffers): void {
    const limit = this.limit;
    const steps = this.slots.steps;
    const { terminated, pendingReset } = out;
    fill(out.rewards, this.stepReward);
    fill(out.truncated, 0);
    for (let i = 0; i < steps.length; i++) {
      const t = steps[i] + 1;
      steps[i] = t;
      if ((pendingReset[i] | terminated[i]) !== 0 || t >= limit) this.settleNextStep(i, out);
    }
  }

  private settleNextStep(i: number, out: VecBuffers): void {
    if (out.pendingReset[i] === 1) {
      // Skipped by advance: it restarts, with reward 0 and no flags.
      this.restart(i, out.observations);
      out.rewards[i] = 0;
      out.terminated[i] = 0;
      out.pendingReset[i] = 0;
    } else {
      if (out.terminated[i] === 1) out.rewards[i] = this.fell(i);
      if (this.slots.steps[i] >= this.limit) out.truncated[i] = 1;
      out.pendingReset[i] = 1;
    }
  }

  private finishSameStep(out: VecBuffers): void {
    const limit = this.limit;
    const steps = this.slots.steps;
    const terminated = out.terminated;
    fill(out.rewards, this.stepReward);
    fill(out.truncated, 0);
    fill(out.hasFinal, 0);
    for (let i = 0; i < steps.length; i++) {
      const t = steps[i] + 1;
      steps[i] = t;
      if (terminated[i] !== 0 || t >= limit) this.settleSameStep(i, out);
    }
  }

  private settleSameStep(i: number, out: VecBuffers): void {
    const { observations, finalObservations } = out;
    if (out.terminated[i] === 1) out.rewards[i] = this.fell(i);
    if (this.slots.steps[i] >= this.limit) out.truncated[i] = 1;
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
