// Original file: ../../protos/reverie/v1/model.proto

import type { Long } from '@grpc/proto-loader';

/**
 * What a stored weight version is. The payload itself is a safetensors file.
 */
export interface WeightsMetadata {
  /**
   * the policy's name, e.g. "cartpole-dqn"
   */
  'policy'?: (string);
  /**
   * increases by at least 1 per publish; never reused
   */
  'version'?: (number | string | Long);
  /**
   * e.g. "dqn", "q-table"
   */
  'algo'?: (string);
  /**
   * e.g. "CartPole-v1"
   */
  'envId'?: (string);
  /**
   * hex digest of the safetensors bytes
   */
  'sha256'?: (string);
  'sizeBytes'?: (number | string | Long);
  'createdUnixMs'?: (number | string | Long);
  /**
   * Free-form facts (architecture, learner updates, ...); keep small.
   */
  'labels'?: ({[key: string]: string});
}

/**
 * What a stored weight version is. The payload itself is a safetensors file.
 */
export interface WeightsMetadata__Output {
  /**
   * the policy's name, e.g. "cartpole-dqn"
   */
  'policy': (string);
  /**
   * increases by at least 1 per publish; never reused
   */
  'version': (number);
  /**
   * e.g. "dqn", "q-table"
   */
  'algo': (string);
  /**
   * e.g. "CartPole-v1"
   */
  'envId': (string);
  /**
   * hex digest of the safetensors bytes
   */
  'sha256': (string);
  'sizeBytes': (number);
  'createdUnixMs': (number);
  /**
   * Free-form facts (architecture, learner updates, ...); keep small.
   */
  'labels': ({[key: string]: string});
}
