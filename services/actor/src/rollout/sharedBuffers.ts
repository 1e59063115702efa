/**
 * The shared-memory layout between the actor's main thread and its rollout workers. Every buffer is
 * a SharedArrayBuffer made once; both sides build typed-array views on it, so a step moves no data
 * through messages.
 */

/** Slots of the Int32 control block. */
export const Control = {
  /** Bumped by the main thread to publish a command; workers wait on it. */
  generation: 0,
  /** The command of the current generation (a {@link Command}). */
  command: 1,
  /** Workers that finished the current generation; the main thread waits on it. */
  done: 2,
  /** 1 when the pending reset carries a seed (in `resetSeed[0]`). */
  seeded: 3,
  /** Per-worker error slots start here: [envIndex, messageLength] for worker w at errors + 2w. */
  errors: 4,
} as const;

export const Command = { step: 1, reset: 2, stop: 3 } as const;
export type CommandCode = (typeof Command)[keyof typeof Command];

/** envIndex value of an error that no single env caused. */
export const NO_ENV = -1;
/** Bytes of UTF-8 error text a worker can report. */
export const ERROR_TEXT_BYTES = 1024;

export interface RolloutDims {
  numEnvs: number;
  numWorkers: number;
  observationSize: number;
  /** Numbers per action: 1 for Discrete, the flat size for Box. */
  actionSize: number;
  /** Discrete actions travel as int32, Box actions as float32. */
  discrete: boolean;
}

/** The SharedArrayBuffers themselves: what crosses to a worker (once, in its task). */
export interface SharedRolloutMemory {
  dims: RolloutDims;
  observations: SharedArrayBuffer;
  nextObservations: SharedArrayBuffer;
  actions: SharedArrayBuffer;
  rewards: SharedArrayBuffer;
  terminated: SharedArrayBuffer;
  truncated: SharedArrayBuffer;
  episodeReturns: SharedArrayBuffer;
  episodeLengths: SharedArrayBuffer;
  control: SharedArrayBuffer;
  errorText: SharedArrayBuffer;
  resetSeed: SharedArrayBuffer;
}

/**
 * Typed views on {@link SharedRolloutMemory}. Rewards and episode returns are float64, as the envs
 * compute them (the chunk sent to the learner narrows rewards to float32, as the proto asks).
 */
export class RolloutViews {
  readonly observations: Float32Array;
  /** Where step t of env i led: the real last observation when the episode ended there. */
  readonly nextObservations: Float32Array;
  readonly actions: Int32Array | Float32Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** Return and length of each env's current episode; of the finished one on the step it ended. */
  readonly episodeReturns: Float64Array;
  readonly episodeLengths: Int32Array;
  readonly control: Int32Array;
  readonly errorText: Uint8Array;
  readonly resetSeed: Float64Array;

  constructor(readonly memory: SharedRolloutMemory) {
    const m = memory;
    this.observations = new Float32Array(m.observations);
    this.nextObservations = new Float32Array(m.nextObservations);
    this.actions = m.dims.discrete ? new Int32Array(m.actions) : new Float32Array(m.actions);
    this.rewards = new Float64Array(m.rewards);
    this.terminated = new Uint8Array(m.terminated);
    this.truncated = new Uint8Array(m.truncated);
    this.episodeReturns = new Float64Array(m.episodeReturns);
    this.episodeLengths = new Int32Array(m.episodeLengths);
    this.control = new Int32Array(m.control);
    this.errorText = new Uint8Array(m.errorText);
    this.resetSeed = new Float64Array(m.resetSeed);
  }
}

/** Allocates the shared memory for `dims`. */
export function allocateRolloutMemory(dims: RolloutDims): SharedRolloutMemory {
  const { numEnvs: n, numWorkers: w, observationSize: obs, actionSize: act } = dims;
  const shared = (bytes: number) => new SharedArrayBuffer(bytes);
  return {
    dims: { ...dims },
    observations: shared(4 * n * obs),
    nextObservations: shared(4 * n * obs),
    actions: shared(4 * n * act),
    rewards: shared(8 * n),
    terminated: shared(n),
    truncated: shared(n),
    episodeReturns: shared(8 * n),
    episodeLengths: shared(4 * n),
    control: shared(4 * (Control.errors + 2 * w)),
    errorText: shared(ERROR_TEXT_BYTES * w),
    resetSeed: shared(8),
  };
}

/** The contiguous env range [start, start + count) that worker `w` of `workers` owns. */
export function sliceOf(w: number, workers: number, numEnvs: number): { start: number; count: number } {
  const start = Math.floor((w * numEnvs) / workers);
  const end = Math.floor(((w + 1) * numEnvs) / workers);
  return { start, count: end - start };
}
