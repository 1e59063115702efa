import { encodeTensor, type TrajectoryChunk as ChunkMessage } from '@reverie/transport';
import type { TrajectoryChunk } from '../rollout/trajectoryAssembler.js';

export interface ChunkIdentity {
  actorId: string;
  envId: string;
  /** Numbers per observation row (the wire shape is [T, N, observationSize]). */
  observationSize: number;
  /** Numbers per action: 1 gives int32 [T, N], more give float32 [T, N, actionSize]. */
  actionSize: number;
}

/**
 * The `reverie.v1.TrajectoryChunk` message for a chunk. The tensors wrap the chunk's own buffers
 * (no copy), so the chunk must stay unreleased until the message is acknowledged.
 */
export function toChunkMessage(chunk: TrajectoryChunk, id: ChunkIdentity, latestVersion: number): ChunkMessage {
  const { numSteps: t, numEnvs: n } = chunk;
  const actionShape = chunk.actions instanceof Int32Array ? [t, n] : [t, n, id.actionSize];
  return {
    actorId: id.actorId,
    sequence: chunk.sequence,
    envId: id.envId,
    numEnvs: n,
    numSteps: t,
    policyVersion: chunk.policyVersion,
    latestVersion: Math.max(latestVersion, chunk.policyVersion),
    observations: encodeTensor(chunk.observations, [t, n, id.observationSize]),
    actions: encodeTensor(chunk.actions, actionShape),
    rewards: encodeTensor(chunk.rewards, [t, n]),
    terminated: encodeTensor(chunk.terminated, [t, n], 'bool'),
    truncated: encodeTensor(chunk.truncated, [t, n], 'bool'),
    nextObservations: encodeTensor(chunk.nextObservations, [t, n, id.observationSize]),
    episodeReturns: [...chunk.episodeReturns],
    episodeLengths: [...chunk.episodeLengths],
  };
}
