// Original file: ../../protos/reverie/v1/policy.proto

import type { Tensor as _reverie_v1_Tensor, Tensor__Output as _reverie_v1_Tensor__Output } from '../../reverie/v1/Tensor.js';
import type { Long } from '@grpc/proto-loader';

export interface ActResponse {
  /**
   * int32 [] / [B] (discrete) or float32 [act...] / [B, act...]
   */
  'action'?: (_reverie_v1_Tensor | null);
  /**
   * the weight version that chose the action
   */
  'version'?: (number | string | Long);
  /**
   * float32 [] / [B], when asked
   */
  'value'?: (_reverie_v1_Tensor | null);
  /**
   * float32 [num_actions] / [B, num_actions], when asked
   */
  'probs'?: (_reverie_v1_Tensor | null);
  'requestId'?: (number | string | Long);
}

export interface ActResponse__Output {
  /**
   * int32 [] / [B] (discrete) or float32 [act...] / [B, act...]
   */
  'action': (_reverie_v1_Tensor__Output | null);
  /**
   * the weight version that chose the action
   */
  'version': (number);
  /**
   * float32 [] / [B], when asked
   */
  'value': (_reverie_v1_Tensor__Output | null);
  /**
   * float32 [num_actions] / [B, num_actions], when asked
   */
  'probs': (_reverie_v1_Tensor__Output | null);
  'requestId': (number);
}
