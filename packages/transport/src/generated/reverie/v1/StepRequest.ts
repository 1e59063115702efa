// Original file: ../../protos/reverie/v1/env.proto

import type { Tensor as _reverie_v1_Tensor, Tensor__Output as _reverie_v1_Tensor__Output } from '../../reverie/v1/Tensor.js';

export interface StepRequest {
  'session'?: (string);
  /**
   * int32 [] (discrete) or float32 [act...]
   */
  'action'?: (_reverie_v1_Tensor | null);
}

export interface StepRequest__Output {
  'session': (string);
  /**
   * int32 [] (discrete) or float32 [act...]
   */
  'action': (_reverie_v1_Tensor__Output | null);
}
