// Original file: ../../protos/reverie/v1/policy.proto

import type { Tensor as _reverie_v1_Tensor, Tensor__Output as _reverie_v1_Tensor__Output } from '../../reverie/v1/Tensor.js';
import type { Long } from '@grpc/proto-loader';

export interface ActRequest {
  /**
   * empty: the server's default policy
   */
  'policy'?: (string);
  /**
   * 0: the newest; otherwise pin this version
   */
  'version'?: (number | string | Long);
  /**
   * float32 [obs...] for one env, or [B, obs...] for a batch
   */
  'observation'?: (_reverie_v1_Tensor | null);
  'wantValue'?: (boolean);
  'wantProbs'?: (boolean);
  /**
   * echoed back, so ActStream callers can match responses
   */
  'requestId'?: (number | string | Long);
}

export interface ActRequest__Output {
  /**
   * empty: the server's default policy
   */
  'policy': (string);
  /**
   * 0: the newest; otherwise pin this version
   */
  'version': (number);
  /**
   * float32 [obs...] for one env, or [B, obs...] for a batch
   */
  'observation': (_reverie_v1_Tensor__Output | null);
  'wantValue': (boolean);
  'wantProbs': (boolean);
  /**
   * echoed back, so ActStream callers can match responses
   */
  'requestId': (number);
}
