// Original file: ../../protos/reverie/v1/learner.proto

import type { Long } from '@grpc/proto-loader';

export interface PushAck {
  'actorId'?: (string);
  'sequence'?: (number | string | Long);
  /**
   * True when this (actor_id, sequence) had been stored before and was not stored again.
   */
  'duplicate'?: (boolean);
  /**
   * Env steps in the learner's replay after this chunk.
   */
  'replaySize'?: (number | string | Long);
}

export interface PushAck__Output {
  'actorId': (string);
  'sequence': (number);
  /**
   * True when this (actor_id, sequence) had been stored before and was not stored again.
   */
  'duplicate': (boolean);
  /**
   * Env steps in the learner's replay after this chunk.
   */
  'replaySize': (number);
}
