/**
 * What a learning algorithm must provide for the learner service to train it from actors' chunks,
 * checkpoint it and publish its policy. The service owns ingestion, scheduling, checkpoint files
 * and publishing; the algorithm owns its replay, networks and optimiser.
 */
import type { StepBatch } from '../ingest/stepBatch.js';

/** Named binary parts of an algorithm's state; each becomes one file of a checkpoint. */
export type AlgorithmParts = Record<string, Uint8Array>;

export interface LearnerAlgorithm {
  /** Short name, e.g. "dqn" (metric label, weights metadata). */
  readonly name: string;
  /** Env steps held in the algorithm's replay now. */
  readonly replaySize: number;
  /** Gradient updates done so far (restored with the state). */
  readonly updates: number;
  /** Transitions (or sequences) one update consumes, for the samples/s metric. */
  readonly samplesPerUpdate: number;

  /**
   * Stores a validated chunk. DQN reads its rows as independent transitions; a sequence learner
   * reads env i's rows t = 0..T-1 as one sequence (see `sequenceReplay`).
   */
  ingest(batch: StepBatch): void;
  /** True once there is enough data for `update` (e.g. replay >= learning starts). */
  ready(): boolean;
  /** One optimisation step; returns the loss of each component (e.g. { td: 0.12 }). */
  update(): Record<string, number>;
  /** The current policy as a @reverie/policy file (what actors and the model-server act with). */
  policyWeights(metadata?: Readonly<Record<string, string>>): Uint8Array;
  /**
   * Everything needed to resume: networks, optimiser moments, replay, RNG. The replay must be read
   * synchronously, before the first await: the learner rotates its write-ahead log in the same tick,
   * and chunks stored later belong to the log, not to this checkpoint.
   */
  state(): Promise<AlgorithmParts>;
  /** Loads what `state` produced (on a freshly built algorithm of the same configuration). */
  restore(parts: AlgorithmParts): Promise<void>;
  dispose(): void;

  /**
   * Reserved for sequence learners (Dreamer-style world models, MuZero-style unrolls), not used by
   * the learners implemented so far: when set, the algorithm stores per-env sequences of `length`
   * steps (overlapping by `overlap`) instead of single transitions, and the service keeps chunk
   * boundaries intact for it.
   */
  readonly sequenceReplay?: { length: number; overlap: number };
  /** Reserved: steps a model is unrolled for per update (MuZero K, Dreamer's imagination horizon). */
  readonly unrollLength?: number;
}

export interface AlgorithmEnv {
  envId: string;
  obsSize: number;
  numActions: number;
  /** Set for a Discrete observation space: observations are state indices below it (obsSize 1). */
  numStates?: number;
}
