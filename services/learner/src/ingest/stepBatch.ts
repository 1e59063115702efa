/**
 * A validated trajectory chunk: T steps of N envs as flat row-major arrays, row r = t·N + i (step t
 * of env i). Algorithms read it as independent transitions (DQN) or as N sequences of T steps
 * (sequence replay for Dreamer/MuZero-style learners).
 */
export interface StepBatch {
  actorId: string;
  sequence: number;
  numEnvs: number;
  numSteps: number;
  obsSize: number;
  /** [T·N, obsSize] */
  obs: Float32Array;
  /** [T·N] discrete action indices */
  actions: Int32Array;
  /** [T·N] */
  rewards: Float32Array;
  /** [T·N, obsSize]: the real last observation where the episode ended. */
  nextObs: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  policyVersion: number;
  latestVersion: number;
  episodeReturns: number[];
}

/** Transitions in the batch. */
export function stepCount(batch: StepBatch): number {
  return batch.numEnvs * batch.numSteps;
}
