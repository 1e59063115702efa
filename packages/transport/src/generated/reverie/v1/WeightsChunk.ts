// Original file: ../../protos/reverie/v1/model.proto

import type { WeightsMetadata as _reverie_v1_WeightsMetadata, WeightsMetadata__Output as _reverie_v1_WeightsMetadata__Output } from '../../reverie/v1/WeightsMetadata.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Weights travel in chunks (default 1 MiB) so models of any size fit under gRPC's message limit.
 * The first chunk of a stream carries the metadata; every chunk carries its byte offset.
 */
export interface WeightsChunk {
  'metadata'?: (_reverie_v1_WeightsMetadata | null);
  'offset'?: (number | string | Long);
  'data'?: (Buffer | Uint8Array | string);
}

/**
 * Weights travel in chunks (default 1 MiB) so models of any size fit under gRPC's message limit.
 * The first chunk of a stream carries the metadata; every chunk carries its byte offset.
 */
export interface WeightsChunk__Output {
  'metadata': (_reverie_v1_WeightsMetadata__Output | null);
  'offset': (number);
  'data': (Buffer);
}
