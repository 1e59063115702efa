/**
 * The seams between actor, learner and model-server. Each has a network implementation (gRPC, NATS)
 * and an in-process one, so the same service code runs as separate processes or in one process.
 */
import type { PushAck__Output } from './generated/reverie/v1/PushAck.js';
import type { TrajectoryChunk } from './generated/reverie/v1/TrajectoryChunk.js';
import type { WeightsMetadata, WeightsMetadata__Output } from './generated/reverie/v1/WeightsMetadata.js';

/** Where an actor's trajectory chunks go (the learner). Resolves once the chunk is stored. */
export interface TrajectorySink {
  push(chunk: TrajectoryChunk): Promise<PushAck__Output>;
}

/** Where the learner's weights go (the model-server). Resolves with the metadata as stored. */
export interface WeightsPublisher {
  publish(metadata: WeightsMetadata, bytes: Uint8Array): Promise<WeightsMetadata__Output>;
}

/** A verified new weight version, as actors receive it. */
export interface WeightsUpdate {
  metadata: WeightsMetadata__Output;
  bytes: Uint8Array;
}

/** How new versions reach actors (NATS, or in-process). `subscribe` returns an unsubscribe function. */
export interface WeightsFeed {
  /** The newest version now (late joiners catch up with it), or undefined before the first. */
  latest(policy: string): Promise<WeightsUpdate | undefined>;
  subscribe(policy: string, onUpdate: (u: WeightsUpdate) => Promise<void> | void): () => void;
}
