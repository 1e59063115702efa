// Original file: ../../protos/reverie/v1/model.proto

import type { WeightsMetadata as _reverie_v1_WeightsMetadata, WeightsMetadata__Output as _reverie_v1_WeightsMetadata__Output } from '../../reverie/v1/WeightsMetadata.js';

export interface ListVersionsResponse {
  /**
   * oldest first
   */
  'versions'?: (_reverie_v1_WeightsMetadata)[];
}

export interface ListVersionsResponse__Output {
  /**
   * oldest first
   */
  'versions': (_reverie_v1_WeightsMetadata__Output)[];
}
