// Original file: ../../protos/reverie/v1/env.proto

import type { Tensor as _reverie_v1_Tensor, Tensor__Output as _reverie_v1_Tensor__Output } from '../../reverie/v1/Tensor.js';

export interface StepResponse {
  'observation'?: (_reverie_v1_Tensor | null);
  'reward'?: (number | string);
  'terminated'?: (boolean);
  'truncated'?: (boolean);
}

export interface StepResponse__Output {
  'observation': (_reverie_v1_Tensor__Output | null);
  'reward': (number);
  'terminated': (boolean);
  'truncated': (boolean);
}
