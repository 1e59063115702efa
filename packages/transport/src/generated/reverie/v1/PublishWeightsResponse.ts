// Original file: ../../protos/reverie/v1/model.proto

import type { WeightsMetadata as _reverie_v1_WeightsMetadata, WeightsMetadata__Output as _reverie_v1_WeightsMetadata__Output } from '../../reverie/v1/WeightsMetadata.js';

export interface PublishWeightsResponse {
  /**
   * as stored, with the version the server assigned
   */
  'metadata'?: (_reverie_v1_WeightsMetadata | null);
}

export interface PublishWeightsResponse__Output {
  /**
   * as stored, with the version the server assigned
   */
  'metadata': (_reverie_v1_WeightsMetadata__Output | null);
}
