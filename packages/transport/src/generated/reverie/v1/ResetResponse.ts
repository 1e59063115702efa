// Original file: ../../protos/reverie/v1/env.proto

import type { Tensor as _reverie_v1_Tensor, Tensor__Output as _reverie_v1_Tensor__Output } from '../../reverie/v1/Tensor.js';

export interface ResetResponse {
  'session'?: (string);
  'observation'?: (_reverie_v1_Tensor | null);
}

export interface ResetResponse__Output {
  'session': (string);
  'observation': (_reverie_v1_Tensor__Output | null);
}
