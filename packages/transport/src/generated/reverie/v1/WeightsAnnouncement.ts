// Original file: ../../protos/reverie/v1/model.proto

import type { WeightsMetadata as _reverie_v1_WeightsMetadata, WeightsMetadata__Output as _reverie_v1_WeightsMetadata__Output } from '../../reverie/v1/WeightsMetadata.js';

/**
 * Sent over NATS on "reverie.weights.<policy>" when a version is stored. A payload that fits in one
 * NATS message with its announcement travels inline in `payload` (object_bucket and object_name
 * empty); a larger one is in the JetStream object store (bucket "reverie-weights", object
 * "<policy>/<version>"). Every version is also served by ModelService.GetWeights.
 */
export interface WeightsAnnouncement {
  'metadata'?: (_reverie_v1_WeightsMetadata | null);
  'objectBucket'?: (string);
  'objectName'?: (string);
  'payload'?: (Buffer | Uint8Array | string);
}

/**
 * Sent over NATS on "reverie.weights.<policy>" when a version is stored. A payload that fits in one
 * NATS message with its announcement travels inline in `payload` (object_bucket and object_name
 * empty); a larger one is in the JetStream object store (bucket "reverie-weights", object
 * "<policy>/<version>"). Every version is also served by ModelService.GetWeights.
 */
export interface WeightsAnnouncement__Output {
  'metadata': (_reverie_v1_WeightsMetadata__Output | null);
  'objectBucket': (string);
  'objectName': (string);
  'payload': (Buffer);
}
