import type { EpsilonGreedy } from './epsilonGreedy.js';
import type { PooledVectorEnv } from './pooledVectorEnv.js';
import { RolloutError } from './rolloutError.js';
import type { TrajectoryAssembler, TrajectoryChunk } from './trajectoryAssembler.js';

/** A batched policy: fills `actionsOut` for `batch` rows of `observations`. */
export interface BatchPolicy {
  /** Weight version the policy was built from (0 for none). */
  readonly version: number;
  act(observations: Float32Array, batch: number, actionsOut: Int32Array | Float32Array): void;
}

export interface ActorLoopOptions {
  venv: PooledVectorEnv;
  assembler: TrajectoryAssembler;
  /** Read once per step, so new weights take effect between steps and never within one. */
  policy: () => BatchPolicy;
  /** Exploration on top of the policy's (discrete) actions. */
  explore?: EpsilonGreedy;
  /** Receives each finished chunk; it owns the chunk until it calls `chunk.release()`. */
  onChunk: (chunk: TrajectoryChunk) => void | Promise<void>;
  /** Called after every step with the env's outcome views (metrics). */
  onStep?: (venv: PooledVectorEnv) => void;
  /** Stop after this many vector steps (default: until aborted). */
  maxSteps?: number;
  signal?: AbortSignal;
}

/**
 * The actor's step loop: batched inference for all envs on this thread, one pooled step, and the
 * trajectory bookkeeping. It waits (without stepping) while every chunk buffer is out with the
 * sender. Returns the number of vector steps taken.
 */
export async function runActorLoop(options: ActorLoopOptions): Promise<number> {
  const { venv, assembler, explore, onChunk, onStep, signal, maxSteps = Infinity } = options;
  if (venv.autoreset !== 'same-step') {
    // In next-step mode the step after an episode's end only resets the env: it is no transition,
    // and a dense [T, N] chunk has no way to mark it.
    throw new RolloutError(`runActorLoop needs a pooled env with autoreset 'same-step', got '${venv.autoreset}'`);
  }
  if (explore && !venv.discrete) throw new RolloutError(`epsilon-greedy exploration needs a discrete action space; ${venv.envId} has ${venv.singleActionSpace}`);
  let steps = 0;
  while (steps < maxSteps && !signal?.aborted) {
    if (!assembler.hasFreeChunk) {
      await assembler.whenChunkFree();
      continue; // the signal may have fired while waiting
    }
    const policy = options.policy();
    policy.act(venv.observations, venv.numEnvs, venv.actions);
    explore?.apply(venv.actions);
    assembler.recordActions(venv, policy.version);
    await venv.step();
    onStep?.(venv);
    const chunk = assembler.recordOutcome(venv);
    if (chunk) await onChunk(chunk);
    steps++;
  }
  return steps;
}
