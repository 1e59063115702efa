import type { Env } from './env.js';
import { EnvError } from './errors.js';
import { make, type MakeOptions } from './registry.js';
import { Discrete, type Space } from './spaces.js';

/**
 * When a finished sub-env starts over.
 * - `next-step` (Gymnasium 1.x default): the step after an episode ends resets that sub-env, ignores its
 *   action and reports reward 0, terminated = truncated = false with the reset observation.
 * - `same-step`: the sub-env resets in the step that ended it; the returned observation is the reset one
 *   and the last observation of the finished episode is kept in `finalObservations` (flagged by `hasFinal`).
 */
export type AutoresetMode = 'next-step' | 'same-step';

export interface VecOptions extends MakeOptions {
  autoreset?: AutoresetMode;
}

/** Struct-of-arrays view of one vector step. The buffers are reused: copy what you keep. */
export interface VecStepResult {
  observations: Float32Array;
  rewards: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
}

/** Every buffer a vector step fills: the step result plus the autoreset bookkeeping. */
export interface VecBuffers extends VecStepResult {
  finalObservations: Float32Array;
  hasFinal: Uint8Array;
  /** next-step mode: 1 where the sub-env resets on the next step. */
  pendingReset: Uint8Array;
}

/**
 * Steps all sub-envs in one loop (see {@link Env.batchKernel}). It must fill `out` exactly as the generic
 * per-env loop would, bit for bit, autoreset and time limits included; the actions are already checked.
 */
export interface BatchKernel {
  step(actions: ArrayLike<number>, out: VecBuffers, autoreset: AutoresetMode): void;
}

/**
 * `n` copies of one env stepped in lock-step, with Gymnasium's `SyncVectorEnv` seeding (sub-env i gets
 * seed + i) and autoreset. The step loop allocates nothing: actions come in as a typed array and results
 * go into preallocated buffers.
 */
export class VectorEnv {
  readonly envs: Env[];
  readonly obsSize: number;
  readonly actSize: number;
  readonly observations: Float32Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** same-step mode only: last observation of an episode that just ended. */
  readonly finalObservations: Float32Array;
  readonly hasFinal: Uint8Array;
  private readonly pendingReset: Uint8Array;
  private readonly result: VecStepResult;
  private readonly buffers: VecBuffers;
  private readonly kernel: BatchKernel | undefined;
  private started = false;

  constructor(readonly id: string, readonly numEnvs: number, readonly autoreset: AutoresetMode, create: () => Env) {
    if (!Number.isInteger(numEnvs) || numEnvs <= 0) throw new EnvError(`${id}: number of envs must be a positive integer, got ${numEnvs}`);
    this.envs = Array.from({ length: numEnvs }, create);
    this.obsSize = this.envs[0].observationSpace.flatSize;
    this.actSize = this.envs[0].actionSpace.flatSize;
    this.observations = new Float32Array(numEnvs * this.obsSize);
    this.finalObservations = new Float32Array(autoreset === 'same-step' ? numEnvs * this.obsSize : 0);
    this.rewards = new Float64Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    this.hasFinal = new Uint8Array(numEnvs);
    this.pendingReset = new Uint8Array(numEnvs);
    this.result = { observations: this.observations, rewards: this.rewards, terminated: this.terminated, truncated: this.truncated };
    this.buffers = { ...this.result, finalObservations: this.finalObservations, hasFinal: this.hasFinal, pendingReset: this.pendingReset };
    this.kernel = this.envs[0].batchKernel(this.envs);
  }

  /** Whether the sub-envs are stepped by their class's batched kernel rather than one by one. */
  get batched(): boolean {
    return this.kernel !== undefined;
  }

  get singleObservationSpace(): Space<unknown> {
    return this.envs[0].observationSpace;
  }

  get singleActionSpace(): Space<unknown> {
    return this.envs[0].actionSpace;
  }

  /** Resets every sub-env; with a seed, sub-env i is seeded with seed + i. */
  reset(args: { seed?: number; options?: Record<string, unknown> } = {}): { observations: Float32Array } {
    if (args.seed !== undefined && (!Number.isInteger(args.seed) || args.seed < 0)) {
      throw new EnvError(`${this.id}: Seed must be a non-negative integer, got ${args.seed}`);
    }
    for (let i = 0; i < this.numEnvs; i++) {
      const env = this.envs[i];
      env.reset({ seed: args.seed === undefined ? undefined : args.seed + i, options: args.options });
      env.writeObservation(this.observations, i * this.obsSize);
    }
    this.pendingReset.fill(0);
    this.hasFinal.fill(0);
    this.rewards.fill(0);
    this.terminated.fill(0);
    this.truncated.fill(0);
    this.started = true;
    return { observations: this.observations };
  }

  /** Steps every sub-env with `actions` (numEnvs × action size, flat). */
  step(actions: ArrayLike<number>): VecStepResult {
    if (!this.started) throw new EnvError(`${this.id}: step() called before reset()`);
    if (actions.length !== this.numEnvs * this.actSize) {
      throw new EnvError(`${this.id}: expected ${this.numEnvs * this.actSize} actions (${this.numEnvs} envs × ${this.actSize}), got ${actions.length}`);
    }
    this.checkActions(actions);
    if (this.kernel !== undefined) this.kernel.step(actions, this.buffers, this.autoreset);
    else if (this.autoreset === 'next-step') this.stepNextStep(actions);
    else this.stepSameStep(actions);
    return this.result;
  }

  /** Checks every action before any sub-env moves, so a bad one leaves the vector env as it was. */
  private checkActions(actions: ArrayLike<number>): void {
    const space = this.envs[0].actionSpace;
    let bad = -1;
    if (space instanceof Discrete) {
      bad = firstOutside(actions, space.start, space.start + space.n);
    } else {
      for (let i = 0; i < this.numEnvs && bad < 0; i++) {
        if (!space.containsAt(actions, i * this.actSize)) bad = i;
      }
    }
    if (bad >= 0) {
      const a = this.actSize === 1 ? String(actions[bad]) : `[${Array.from({ length: this.actSize }, (_, k) => actions[bad * this.actSize + k]).join(', ')}]`;
      throw new EnvError(`${this.id}: action ${a} for env ${bad} is outside the action space ${space}`);
    }
  }

  private stepNextStep(actions: ArrayLike<number>): void {
    const { envs, obsSize, actSize, observations, rewards, terminated, truncated, pendingReset } = this;
    for (let i = 0; i < envs.length; i++) {
      const env = envs[i];
      if (pendingReset[i] === 1) {
        env.restart();
        rewards[i] = 0;
        terminated[i] = 0;
        truncated[i] = 0;
        pendingReset[i] = 0;
      } else {
        env.stepCore(actions, i * actSize);
        const trunc = env.countStep();
        rewards[i] = env.reward;
        terminated[i] = env.terminated ? 1 : 0;
        truncated[i] = trunc ? 1 : 0;
        pendingReset[i] = env.terminated || trunc ? 1 : 0;
      }
      env.writeObservation(observations, i * obsSize);
    }
  }

  private stepSameStep(actions: ArrayLike<number>): void {
    const { envs, obsSize, actSize, observations, rewards, terminated, truncated, hasFinal, finalObservations } = this;
    for (let i = 0; i < envs.length; i++) {
      const env = envs[i];
      env.stepCore(actions, i * actSize);
      const trunc = env.countStep();
      rewards[i] = env.reward;
      terminated[i] = env.terminated ? 1 : 0;
      truncated[i] = trunc ? 1 : 0;
      if (env.terminated || trunc) {
        env.writeObservation(finalObservations, i * obsSize);
        hasFinal[i] = 1;
        env.restart();
      } else {
        hasFinal[i] = 0;
      }
      env.writeObservation(observations, i * obsSize);
    }
  }
}

/** Index of the first action that is not an integer in [lo, hi), or -1: Discrete's containsAt as one tight loop. */
function firstOutside(actions: ArrayLike<number>, lo: number, hi: number): number {
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    if (!(a >= lo && a < hi && Math.floor(a) === a)) return i;
  }
  return -1;
}

/** Gymnasium's `gymnasium.make_vec(id, num_envs, vectorization_mode="sync")`. */
export function makeVec(id: string, numEnvs: number, options: VecOptions = {}): VectorEnv {
  const { autoreset = 'next-step', ...makeOptions } = options;
  if (autoreset !== 'next-step' && autoreset !== 'same-step') {
    throw new EnvError(`${id}: autoreset must be 'next-step' or 'same-step', got '${String(autoreset)}'`);
  }
  return new VectorEnv(id, numEnvs, autoreset, () => make(id, makeOptions));
}
