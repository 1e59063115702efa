import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { Discrete, make, type AutoresetMode, type MakeOptions, type Space } from '@reverie/envs';
import type { SliceTask } from './envSlice.js';
import './waitAsync.js';
import { RolloutError } from './rolloutError.js';
import {
  allocateRolloutMemory,
  Command,
  Control,
  ERROR_TEXT_BYTES,
  NO_ENV,
  RolloutViews,
  sliceOf,
  type CommandCode,
} from './sharedBuffers.js';

export interface PooledVectorEnvOptions {
  envId: string;
  numEnvs: number;
  /** Worker threads; each owns a contiguous slice of about numEnvs / workers envs. */
  workers: number;
  /** Env i is seeded with seed + i, as `makeVec(envId, numEnvs).reset({ seed })`; omitted: unseeded. */
  seed?: number;
  envKwargs?: MakeOptions;
  /** As `makeVec`'s: 'next-step' (default) or 'same-step'. */
  autoreset?: AutoresetMode;
}

/**
 * `numEnvs` copies of an env stepped by a pool of worker threads in lock-step, with the results of
 * `makeVec(envId, numEnvs)` bit for bit. Observations, actions, rewards and done flags live in shared
 * memory: write `actions`, `await step()`, read `observations`, `rewards`, `terminated`, `truncated`,
 * `nextObservations`. Each worker runs one resident task that sleeps on `Atomics.wait` between
 * steps, so a step sends no message; the main thread waits with `Atomics.waitAsync` and its event
 * loop stays free for network traffic. The views are reused: copy what you keep.
 */
export class PooledVectorEnv {
  readonly observations: Float32Array;
  readonly nextObservations: Float32Array;
  /** Written by the caller before `step()`: int32 for Discrete, float32 [numEnvs, actionSize] for Box. */
  readonly actions: Int32Array | Float32Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** Each env's current episode return and length; the finished episode's on the step it ended. */
  readonly episodeReturns: Float64Array;
  readonly episodeLengths: Int32Array;
  readonly numEnvs: number;
  readonly numWorkers: number;
  readonly observationSize: number;
  readonly actionSize: number;

  private readonly views: RolloutViews;
  private readonly control: Int32Array;
  private crashed: Error | undefined;
  private brokenBy: RolloutError | undefined;
  private busy = false;
  private closed = false;
  private stopping = false;
  private tasks: Promise<void>[] = [];

  private constructor(
    readonly envId: string,
    readonly singleActionSpace: Space<unknown>,
    readonly autoreset: AutoresetMode,
    private readonly pool: Piscina<SliceTask, void>,
    views: RolloutViews,
  ) {
    this.views = views;
    this.control = views.control;
    ({ numEnvs: this.numEnvs, numWorkers: this.numWorkers, observationSize: this.observationSize, actionSize: this.actionSize } = views.memory.dims);
    this.observations = views.observations;
    this.nextObservations = views.nextObservations;
    this.actions = views.actions;
    this.rewards = views.rewards;
    this.terminated = views.terminated;
    this.truncated = views.truncated;
    this.episodeReturns = views.episodeReturns;
    this.episodeLengths = views.episodeLengths;
  }

  /** Starts the pool, one resident task per worker, and resets every env with `seed`. */
  static async create(options: PooledVectorEnvOptions): Promise<PooledVectorEnv> {
    const { envId, numEnvs, workers, seed, envKwargs = {}, autoreset = 'next-step' } = options;
    checkCounts(numEnvs, workers);
    if (autoreset !== 'next-step' && autoreset !== 'same-step') throw new RolloutError(`autoreset must be 'next-step' or 'same-step', got '${String(autoreset)}'`);
    // Made here first so that a bad id or kwargs fails on the caller's thread with the env's own message.
    const probe = make(envId, envKwargs);
    const discrete = probe.actionSpace instanceof Discrete;
    const dims = { numEnvs, numWorkers: workers, observationSize: probe.observationSpace.flatSize, actionSize: probe.actionSpace.flatSize, discrete };
    const memory = allocateRolloutMemory(dims);
    const pool = new Piscina<SliceTask, void>({ filename: workerScript(), minThreads: workers, maxThreads: workers, concurrentTasksPerWorker: 1, idleTimeout: 1000, execArgv: workerExecArgv() });
    const venv = new PooledVectorEnv(envId, probe.actionSpace, autoreset, pool, new RolloutViews(memory));
    for (let w = 0; w < workers; w++) {
      const task: SliceTask = { memory, workerIndex: w, envId, envKwargs, autoreset, ...sliceOf(w, workers, numEnvs) };
      venv.tasks.push(venv.watch(pool.run(task), w));
    }
    try {
      await venv.reset({ seed });
    } catch (error) {
      await venv.close();
      throw error;
    }
    return venv;
  }

  /** Number of discrete actions, or undefined for a continuous action space. */
  get numActions(): number | undefined {
    return this.singleActionSpace instanceof Discrete ? this.singleActionSpace.n : undefined;
  }

  get discrete(): boolean {
    return this.singleActionSpace instanceof Discrete;
  }

  /** Steps every env with `actions`. Rejects with a {@link RolloutError} naming the env on a bad action. */
  async step(): Promise<void> {
    this.begin(Command.step);
    try {
      await this.waitAsync();
    } finally {
      this.busy = false;
    }
    this.collectFailure();
  }

  /**
   * `step()` with the main thread blocked in `Atomics.wait` until the workers are done: a little
   * faster per step, but nothing else runs meanwhile (no timers, no sockets), and a worker that dies
   * is only noticed after `timeoutMs`. For loops that have nothing else to serve.
   */
  stepBlocking(timeoutMs = 10_000): void {
    this.begin(Command.step);
    try {
      this.waitBlocking(timeoutMs);
    } finally {
      this.busy = false;
    }
    this.collectFailure();
  }

  /** Resets every env (env i with seed + i when seeded); also clears the state a failed step leaves. */
  async reset(args: { seed?: number } = {}): Promise<void> {
    const { seed } = args;
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) throw new RolloutError(`${this.envId}: seed must be a non-negative integer, got ${seed}`);
    this.checkIdle(true);
    Atomics.store(this.control, Control.seeded, seed === undefined ? 0 : 1);
    this.views.resetSeed[0] = seed ?? 0;
    this.begin(Command.reset, true);
    try {
      await this.waitAsync();
    } finally {
      this.busy = false;
    }
    this.brokenBy = undefined;
    this.collectFailure();
  }

  /** Ends the resident tasks, then destroys the pool; no thread is left. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopping = true;
    this.publish(Command.stop);
    // A step still awaiting its workers gives up instead of waiting for a done count that was just cleared.
    Atomics.notify(this.control, Control.done);
    await Promise.allSettled(this.tasks);
    await this.pool.destroy();
  }

  private begin(command: CommandCode, recovering = false): void {
    this.checkIdle(recovering);
    this.busy = true;
    this.publish(command);
  }

  private checkIdle(recovering: boolean): void {
    if (this.closed) throw new RolloutError(`${this.envId}: the pooled vector env is closed`);
    if (this.crashed) throw this.crashed;
    if (this.busy) throw new RolloutError(`${this.envId}: a step or reset is already running; await it first`);
    if (this.brokenBy && !recovering) throw new RolloutError(`${this.envId}: a previous step failed (${this.brokenBy.message}); reset() before stepping again`);
  }

  private publish(command: CommandCode): void {
    const c = this.control;
    Atomics.store(c, Control.done, 0);
    Atomics.store(c, Control.command, command);
    Atomics.add(c, Control.generation, 1);
    Atomics.notify(c, Control.generation);
  }

  private async waitAsync(): Promise<void> {
    const c = this.control;
    const target = this.numWorkers;
    for (let done = Atomics.load(c, Control.done); done < target; done = Atomics.load(c, Control.done)) {
      if (this.crashed) throw this.crashed;
      if (this.closed) throw new RolloutError(`${this.envId}: closed while a step or reset was running`);
      const wait = Atomics.waitAsync(c, Control.done, done);
      if (wait.async) await wait.value;
    }
  }

  private waitBlocking(timeoutMs: number): void {
    const c = this.control;
    const deadline = Date.now() + timeoutMs;
    for (let done = Atomics.load(c, Control.done); done < this.numWorkers; done = Atomics.load(c, Control.done)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        // The workers are out of step with the control block now: the env cannot be used again.
        this.crashed = new RolloutError(`${this.envId}: workers did not finish a step within ${timeoutMs} ms`);
        throw this.crashed;
      }
      Atomics.wait(c, Control.done, done, left);
    }
  }

  /** Throws the first worker's failure of the last command, if any, and marks the env as needing a reset. */
  private collectFailure(): void {
    const c = this.control;
    let first: RolloutError | undefined;
    for (let w = 0; w < this.numWorkers; w++) {
      const slot = Control.errors + 2 * w;
      const length = Atomics.load(c, slot + 1);
      if (length === 0) continue;
      // TextDecoder does not read shared memory: copy the bytes out first (error path only).
      const bytes = this.views.errorText.slice(w * ERROR_TEXT_BYTES, w * ERROR_TEXT_BYTES + length);
      const envIndex = Atomics.load(c, slot);
      first ??= new RolloutError(new TextDecoder().decode(bytes), envIndex === NO_ENV ? undefined : envIndex, w);
      Atomics.store(c, slot + 1, 0);
    }
    if (first) {
      this.brokenBy = first;
      throw first;
    }
  }

  /** A resident task that ends without a stop command, or throws, fails every later call. */
  private watch(task: Promise<void>, worker: number): Promise<void> {
    const fail = (reason: string) => {
      if (this.stopping) return;
      this.crashed ??= new RolloutError(`${this.envId}: rollout worker ${worker} ${reason}`, undefined, worker);
      // Wakes a main thread parked in waitAsync so it sees the crash instead of waiting forever.
      Atomics.notify(this.control, Control.done);
    };
    return task.then(
      () => fail('stopped without a stop command'),
      (error: unknown) => fail(`failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}

function checkCounts(numEnvs: number, workers: number): void {
  if (!Number.isInteger(numEnvs) || numEnvs <= 0) throw new RolloutError(`numEnvs must be a positive integer, got ${numEnvs}`);
  if (!Number.isInteger(workers) || workers <= 0) throw new RolloutError(`workers must be a positive integer, got ${workers}`);
  if (workers > numEnvs) throw new RolloutError(`workers (${workers}) must not exceed numEnvs (${numEnvs}): each worker needs at least one env`);
}

/**
 * The compiled worker script. From the build it sits next to this module; when the sources run
 * directly (tests), the build of this package is used, since worker threads cannot load TypeScript.
 */
function workerScript(): string {
  for (const candidate of ['./worker.js', '../../dist/rollout/worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url.href;
  }
  throw new RolloutError('rollout worker script not found: build the actor service first (npx tsc -b)');
}

/** This process's flags without the `source` export condition, which would send workers to TypeScript files. */
function workerExecArgv(): string[] {
  const argv = process.execArgv;
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if ((flag === '--conditions' || flag === '-C') && argv[i + 1] === 'source') i++;
    else if (flag !== '--conditions=source') kept.push(flag);
  }
  return kept;
}
