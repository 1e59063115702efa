import { RolloutError } from './rolloutError.js';

/** What the assembler reads before a step: the observations acted on and the actions taken. */
export interface ActingView {
  readonly observations: Float32Array;
  readonly actions: Int32Array | Float32Array;
}

/** What the assembler reads after a step (a PooledVectorEnv is one). */
export interface OutcomeView {
  readonly rewards: Float64Array | Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly nextObservations: Float32Array;
  /** Return and length of the episode that ended on this step, where one did. */
  readonly episodeReturns: Float64Array;
  readonly episodeLengths: Int32Array;
}

/**
 * T steps of N envs in the layout of `reverie.v1.TrajectoryChunk`: row-major [T, N, ...] arrays.
 * The buffers belong to the assembler's pool: call `release()` once the chunk is sent and acknowledged.
 */
export interface TrajectoryChunk {
  readonly sequence: number;
  readonly numEnvs: number;
  readonly numSteps: number;
  /** The oldest weight version among the chunk's actions. */
  readonly policyVersion: number;
  readonly observations: Float32Array;
  readonly actions: Int32Array | Float32Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly nextObservations: Float32Array;
  /** Episodes that ended inside the chunk, in step then env order. */
  readonly episodeReturns: readonly number[];
  readonly episodeLengths: readonly number[];
  release(): void;
}

export interface TrajectoryAssemblerOptions {
  numEnvs: number;
  /** Steps per chunk (T). */
  numSteps: number;
  observationSize: number;
  actionSize: number;
  discrete: boolean;
  /** Chunk buffers in the pool: how many chunks may be out (being sent) before recording waits. */
  poolSize?: number;
}

class ChunkBuffer implements TrajectoryChunk {
  sequence = 0;
  policyVersion = 0;
  readonly observations: Float32Array;
  readonly actions: Int32Array | Float32Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly nextObservations: Float32Array;
  readonly episodeReturns: number[] = [];
  readonly episodeLengths: number[] = [];
  readonly numEnvs: number;
  readonly numSteps: number;
  /** Handed out and not yet released. */
  out = false;

  constructor(o: TrajectoryAssemblerOptions, private readonly onRelease: (chunk: ChunkBuffer) => void) {
    this.numEnvs = o.numEnvs;
    this.numSteps = o.numSteps;
    const rows = o.numSteps * o.numEnvs;
    this.observations = new Float32Array(rows * o.observationSize);
    this.nextObservations = new Float32Array(rows * o.observationSize);
    this.actions = o.discrete ? new Int32Array(rows * o.actionSize) : new Float32Array(rows * o.actionSize);
    this.rewards = new Float32Array(rows);
    this.terminated = new Uint8Array(rows);
    this.truncated = new Uint8Array(rows);
  }

  release(): void {
    if (!this.out) throw new RolloutError(`trajectory chunk ${this.sequence} was released twice`);
    this.out = false;
    this.onRelease(this);
  }
}

/**
 * Collects the steps of a vector env into chunks of T steps and hands out each chunk as it fills.
 * Per step: `recordActions` before the env steps (it copies the observations acted on and the
 * actions), `recordOutcome` after it. Chunk buffers come from a fixed pool and are reused, so a
 * sender that holds chunks (unacknowledged) eventually makes `hasFreeChunk` false: that is the
 * back-pressure on the actor loop, which then awaits `whenChunkFree()`.
 */
export class TrajectoryAssembler {
  private readonly free: ChunkBuffer[] = [];
  private current: ChunkBuffer | undefined;
  private step = 0;
  private nextSequence = 0;
  private waiters: (() => void)[] = [];
  private readonly rowObs: number;
  private readonly rowAct: number;

  constructor(private readonly options: TrajectoryAssemblerOptions) {
    const { numEnvs, numSteps, observationSize, actionSize, poolSize = 4 } = options;
    for (const [name, v] of Object.entries({ numEnvs, numSteps, observationSize, actionSize, poolSize })) {
      if (!Number.isInteger(v) || v <= 0) throw new RolloutError(`TrajectoryAssembler: ${name} must be a positive integer, got ${v}`);
    }
    const onRelease = (chunk: ChunkBuffer) => this.returnToPool(chunk);
    for (let i = 0; i < poolSize; i++) this.free.push(new ChunkBuffer(options, onRelease));
    this.rowObs = numEnvs * observationSize;
    this.rowAct = numEnvs * actionSize;
  }

  /** Whether a step can be recorded now (a chunk is being filled or a free buffer is available). */
  get hasFreeChunk(): boolean {
    return this.current !== undefined || this.free.length > 0;
  }

  /** Resolves once a step can be recorded. */
  whenChunkFree(): Promise<void> {
    if (this.hasFreeChunk) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Copies the observations acted on and the actions of step t; `policyVersion` made the actions. */
  recordActions(view: ActingView, policyVersion: number): void {
    const chunk = (this.current ??= this.takeFree());
    if (this.step === 0 || policyVersion < chunk.policyVersion) chunk.policyVersion = policyVersion;
    checkLength('observations', view.observations, this.rowObs);
    checkLength('actions', view.actions, this.rowAct);
    chunk.observations.set(view.observations, this.step * this.rowObs);
    chunk.actions.set(view.actions, this.step * this.rowAct);
  }

  /** Copies step t's outcome; returns the chunk when it is the T-th step, else undefined. */
  recordOutcome(view: OutcomeView): TrajectoryChunk | undefined {
    const chunk = this.current;
    if (chunk === undefined) throw new RolloutError('TrajectoryAssembler: recordOutcome() without recordActions() for this step');
    const n = this.options.numEnvs;
    const row = this.step * n;
    checkLength('rewards', view.rewards, n);
    checkLength('terminated', view.terminated, n);
    checkLength('truncated', view.truncated, n);
    checkLength('nextObservations', view.nextObservations, this.rowObs);
    chunk.rewards.set(view.rewards, row);
    chunk.terminated.set(view.terminated, row);
    chunk.truncated.set(view.truncated, row);
    chunk.nextObservations.set(view.nextObservations, this.step * this.rowObs);
    for (let i = 0; i < n; i++) {
      if ((view.terminated[i] | view.truncated[i]) === 0) continue;
      chunk.episodeReturns.push(view.episodeReturns[i]);
      chunk.episodeLengths.push(view.episodeLengths[i]);
    }
    if (++this.step < this.options.numSteps) return undefined;
    this.step = 0;
    this.current = undefined;
    chunk.sequence = this.nextSequence++;
    chunk.out = true;
    return chunk;
  }

  private takeFree(): ChunkBuffer {
    const chunk = this.free.pop();
    if (chunk === undefined) throw new RolloutError('TrajectoryAssembler: every chunk buffer is out; await whenChunkFree() before recording');
    chunk.episodeReturns.length = 0;
    chunk.episodeLengths.length = 0;
    return chunk;
  }

  private returnToPool(chunk: ChunkBuffer): void {
    this.free.push(chunk);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

function checkLength(name: string, array: ArrayLike<number>, expected: number): void {
  if (array.length !== expected) throw new RolloutError(`TrajectoryAssembler: ${name} has ${array.length} values, expected ${expected}`);
}
