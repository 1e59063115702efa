// Original file: ../../protos/reverie/v1/learner.proto

import type { Tensor as _reverie_v1_Tensor, Tensor__Output as _reverie_v1_Tensor__Output } from '../../reverie/v1/Tensor.js';
import type { Long } from '@grpc/proto-loader';

/**
 * T consecutive steps of N envs stepped by one actor. Step t of env i saw observations[t, i],
 * took actions[t, i], got rewards[t, i] and reached next_observations[t, i] (the real final
 * observation when the episode ended there, before any autoreset).
 */
export interface TrajectoryChunk {
  'actorId'?: (string);
  /**
   * Per actor_id, starting at 0 and increasing by 1; (actor_id, sequence) identifies a chunk, so a
   * chunk resent after a reconnect is stored once. An actor process that starts again from 0 must
   * use a new actor_id (Reverie's actors add a random per-process suffix).
   */
  'sequence'?: (number | string | Long);
  'envId'?: (string);
  /**
   * N
   */
  'numEnvs'?: (number);
  /**
   * T
   */
  'numSteps'?: (number);
  /**
   * The weight version the actions came from, and the newest version the actor had heard of
   * when the chunk closed: their difference is the policy lag, in versions.
   */
  'policyVersion'?: (number | string | Long);
  'latestVersion'?: (number | string | Long);
  /**
   * float32 [T, N, obs...]
   */
  'observations'?: (_reverie_v1_Tensor | null);
  /**
   * int32 [T, N] (discrete) or float32 [T, N, act...]
   */
  'actions'?: (_reverie_v1_Tensor | null);
  /**
   * float32 [T, N]
   */
  'rewards'?: (_reverie_v1_Tensor | null);
  /**
   * bool [T, N]
   */
  'terminated'?: (_reverie_v1_Tensor | null);
  /**
   * bool [T, N]
   */
  'truncated'?: (_reverie_v1_Tensor | null);
  /**
   * float32 [T, N, obs...]
   */
  'nextObservations'?: (_reverie_v1_Tensor | null);
  /**
   * Returns and lengths of episodes that ended inside this chunk (for metrics only).
   */
  'episodeReturns'?: (number | string)[];
  'episodeLengths'?: (number)[];
}

/**
 * T consecutive steps of N envs stepped by one actor. Step t of env i saw observations[t, i],
 * took actions[t, i], got rewards[t, i] and reached next_observations[t, i] (the real final
 * observation when the episode ended there, before any autoreset).
 */
export interface TrajectoryChunk__Output {
  'actorId': (string);
  /**
   * Per actor_id, starting at 0 and increasing by 1; (actor_id, sequence) identifies a chunk, so a
   * chunk resent after a reconnect is stored once. An actor process that starts again from 0 must
   * use a new actor_id (Reverie's actors add a random per-process suffix).
   */
  'sequence': (number);
  'envId': (string);
  /**
   * N
   */
  'numEnvs': (number);
  /**
   * T
   */
  'numSteps': (number);
  /**
   * The weight version the actions came from, and the newest version the actor had heard of
   * when the chunk closed: their difference is the policy lag, in versions.
   */
  'policyVersion': (number);
  'latestVersion': (number);
  /**
   * float32 [T, N, obs...]
   */
  'observations': (_reverie_v1_Tensor__Output | null);
  /**
   * int32 [T, N] (discrete) or float32 [T, N, act...]
   */
  'actions': (_reverie_v1_Tensor__Output | null);
  /**
   * float32 [T, N]
   */
  'rewards': (_reverie_v1_Tensor__Output | null);
  /**
   * bool [T, N]
   */
  'terminated': (_reverie_v1_Tensor__Output | null);
  /**
   * bool [T, N]
   */
  'truncated': (_reverie_v1_Tensor__Output | null);
  /**
   * float32 [T, N, obs...]
   */
  'nextObservations': (_reverie_v1_Tensor__Output | null);
  /**
   * Returns and lengths of episodes that ended inside this chunk (for metrics only).
   */
  'episodeReturns': (number)[];
  'episodeLengths': (number)[];
}
