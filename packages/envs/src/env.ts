import { NumpyGenerator, npRandom } from '@reverie/core';
import { EnvError } from './errors.js';
import type { Space } from './spaces.js';
import type { BatchKernel } from './vector.js';

export type Info = Record<string, unknown>;

export interface ResetArgs {
  /** Seeds the env's generator exactly as Gymnasium's `reset(seed=...)` does. */
  seed?: number;
  options?: Record<string, unknown>;
}

export interface ResetResult<O> {
  observation: O;
  info: Info;
}

export interface StepResult<O> {
  observation: O;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

/** An RGB image, row-major, `height × width × 3` bytes. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface EnvSpec {
  id: string;
  /** Steps after which TimeLimit truncates the episode; null for no limit. */
  maxEpisodeSteps: number | null;
  rewardThreshold?: number;
}

/** Everything needed to put an env back exactly where it was, RNG included. */
export interface EnvState<S> {
  core: S;
  elapsedSteps: number;
  phase: EpisodePhase;
  rng: ReturnType<NumpyGenerator['getState']>;
}

type EpisodePhase = 'fresh' | 'running' | 'ended';

/**
 * A Gymnasium-compatible environment with the semantics `gymnasium.make` gives: TimeLimit truncation,
 * order enforcement (no step before reset, none after the episode ended) and action checking.
 *
 * Subclasses implement a small allocation-free kernel (`resetCore`, `stepCore`, `writeObservation`)
 * that vector envs drive directly; `reset`/`step` wrap it with the checks and fresh result objects.
 */
export abstract class Env<O = Float32Array | number, A = number | Float32Array, S = unknown> {
  abstract readonly observationSpace: Space<O>;
  abstract readonly actionSpace: Space<A>;
  spec: EnvSpec = { id: this.constructor.name, maxEpisodeSteps: null };

  /** The env's generator (Gymnasium's `np_random`); replaced by `reset({ seed })`. */
  npRandom: NumpyGenerator | undefined;
  /** Outcome of the last `stepCore` call. */
  reward = 0;
  terminated = false;

  private phase: EpisodePhase = 'fresh';
  private elapsed = 0;
  private actionScratch: Float64Array | undefined;

  /** Draws the initial state with `this.rng`. */
  abstract resetCore(options?: Record<string, unknown>): void;
  /** Applies the action stored at `actions[offset..]`; sets `reward` and `terminated`. No checks, no allocation. */
  abstract stepCore(actions: ArrayLike<number>, offset: number): void;
  /** Writes the current observation as float32 numbers at `out[offset..]`. */
  abstract writeObservation(out: Float32Array, offset: number): void;
  /** The current observation as a fresh value (Gymnasium returns a new array every step). */
  protected abstract observe(): O;
  protected abstract getCoreState(): S;
  protected abstract setCoreState(state: S): void;

  /**
   * A kernel that steps `envs` (all made like this one) together for a vector env, or undefined for the
   * generic per-env loop. Envs whose per-env overhead matters override it.
   */
  batchKernel(_envs: readonly Env[]): BatchKernel | undefined {
    return undefined;
  }

  /** Starts a new episode without reseeding, as vector autoreset does (the generator carries on, as in Gymnasium). */
  restart(): void {
    this.resetCore();
    this.elapsedSteps = 0;
    this.terminated = false;
  }

  protected resetInfo(): Info {
    return {};
  }

  protected stepInfo(): Info {
    return {};
  }

  get id(): string {
    return this.spec.id;
  }

  /** Steps taken in this episode (TimeLimit's counter). An accessor, so that a subclass may keep it elsewhere. */
  get elapsedSteps(): number {
    return this.elapsed;
  }
  set elapsedSteps(n: number) {
    this.elapsed = n;
  }

  /** The generator, created unseeded on first use like Gymnasium's lazy `np_random`. */
  get rng(): NumpyGenerator {
    if (this.npRandom === undefined) this.npRandom = npRandom().rng;
    return this.npRandom;
  }

  reset(args: ResetArgs = {}): ResetResult<O> {
    if (args.seed !== undefined) {
      try {
        this.npRandom = npRandom(args.seed).rng;
      } catch (e) {
        throw new EnvError(`${this.id}: ${(e as Error).message}`);
      }
    }
    this.resetCore(args.options);
    this.elapsedSteps = 0;
    this.terminated = false;
    this.reward = 0;
    this.phase = 'running';
    return { observation: this.observe(), info: this.resetInfo() };
  }

  step(action: A): StepResult<O> {
    if (this.phase !== 'running') {
      throw new EnvError(
        this.phase === 'fresh'
          ? `${this.id}: step() called before reset()`
          : `${this.id}: step() called after the episode ended (terminated or truncated); call reset() first`,
      );
    }
    if (!this.actionSpace.contains(action)) {
      throw new EnvError(`${this.id}: action ${formatAction(action)} is outside the action space ${this.actionSpace}`);
    }
    const scratch = (this.actionScratch ??= new Float64Array(this.actionSpace.flatSize));
    if (typeof action === 'number') scratch[0] = action;
    else scratch.set(action as ArrayLike<number>);
    this.stepCore(scratch, 0);
    const truncated = this.countStep();
    if (this.terminated || truncated) this.phase = 'ended';
    return {
      observation: this.observe(),
      reward: this.reward,
      terminated: this.terminated,
      truncated,
      info: this.stepInfo(),
    };
  }

  /** TimeLimit's bookkeeping: counts a step and says whether the episode is truncated. */
  countStep(): boolean {
    this.elapsedSteps++;
    const max = this.spec.maxEpisodeSteps;
    return max !== null && this.elapsedSteps >= max;
  }

  getState(): EnvState<S> {
    return { core: this.getCoreState(), elapsedSteps: this.elapsedSteps, phase: this.phase, rng: this.rng.getState() };
  }

  setState(state: EnvState<S>): void {
    this.setCoreState(state.core);
    this.elapsedSteps = state.elapsedSteps;
    this.phase = state.phase;
    this.rng.setState(state.rng);
  }

  render(): string | RgbImage {
    throw new EnvError(`${this.id}: this environment cannot render`);
  }
}

function formatAction(action: unknown): string {
  if (ArrayBuffer.isView(action) || Array.isArray(action)) return `[${Array.from(action as ArrayLike<number>).join(', ')}]`;
  return typeof action === 'string' ? JSON.stringify(action) : String(action);
}
