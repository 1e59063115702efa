import { npRandom, type NumpyGenerator } from '@reverie/core';
import { epsilonGreedy, type Policy } from '@reverie/policy';
import type { PooledVectorEnv } from './pooledVectorEnv.js';
import { RolloutError } from './rolloutError.js';
import type { TrajectoryAssembler, TrajectoryChunk } from './trajectoryAssembler.js';

/** A policy and the weight version it was built from (0 before any weights arrived). */
export interface VersionedPolicy {
  readonly version: number;
  readonly policy: Policy;
}

export interface ActorLoopOptions {
  venv: PooledVectorEnv;
  assembler: TrajectoryAssembler;
  /** Read once per step, so new weights take effect between steps and never within one. */
  policy: () => VersionedPolicy;
  /** Exploration rate, read once per step (default 0: greedy). */
  epsilon?: () => number;
  /** The exploration draws; seed it for a repeatable run (default: seed 0). */
  rng?: NumpyGenerator;
  /** Receives each finished chunk; it owns the chunk until it calls `chunk.release()`. */
  onChunk: (chunk: TrajectoryChunk) => void | Promise<void>;
  /** Called after every step with the env's outcome views (metrics). */
  onStep?: (venv: PooledVectorEnv) => void;
  /** Stop after this many vector steps (default: until aborted). */
  maxSteps?: number;
  signal?: AbortSignal;
}

/**
 * The actor's step loop: batched epsilon-greedy inference for all envs on this thread, one pooled
 * step, and the trajectory bookkeeping. It waits (without stepping) while every chunk buffer is out
 * with the sender. Returns the number of vector steps taken.
 */
export async function runActorLoop(options: ActorLoopOptions): Promise<number> {
  const { venv, assembler, onChunk, onStep, signal, maxSteps = Infinity } = options;
  const actions = discreteActions(venv);
  const epsilon = options.epsilon ?? (() => 0);
  const rng = options.rng ?? npRandom(0).rng;
  let steps = 0;
  while (steps < maxSteps && !signal?.aborted) {
    if (!assembler.hasFreeChunk) {
      await assembler.whenChunkFree();
      continue; // the signal may have fired while waiting
    }
    const { policy, version } = options.policy();
    checkFits(policy, venv);
    epsilonGreedy(policy, venv.observations, venv.numEnvs, actions, epsilon(), rng);
    assembler.recordActions(venv, version);
    await venv.step();
    onStep?.(venv);
    const chunk = assembler.recordOutcome(venv);
    if (chunk) await onChunk(chunk);
    steps++;
  }
  return steps;
}

/** The loop's env must autoreset in the same step and take discrete actions (what Q-policies give). */
function discreteActions(venv: PooledVectorEnv): Int32Array {
  if (venv.autoreset !== 'same-step') {
    // In next-step mode the step after an episode's end only resets the env: it is no transition,
    // and a dense [T, N] chunk has no way to mark it.
    throw new RolloutError(`runActorLoop needs a pooled env with autoreset 'same-step', got '${venv.autoreset}'`);
  }
  if (!(venv.actions instanceof Int32Array)) {
    throw new RolloutError(`runActorLoop acts with Q-policies, which need a discrete action space; ${venv.envId} has ${venv.singleActionSpace}`);
  }
  return venv.actions;
}

function checkFits(policy: Policy, venv: PooledVectorEnv): void {
  if (policy.obsSize !== venv.observationSize || policy.numActions !== venv.numActions) {
    throw new RolloutError(
      `policy reads ${policy.obsSize} observation values and picks among ${policy.numActions} actions; ` +
        `${venv.envId} has ${venv.observationSize} and ${venv.numActions}`,
    );
  }
}
