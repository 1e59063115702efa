// Original file: ../../protos/reverie/v1/model.proto

import type { Long } from '@grpc/proto-loader';

export interface GetWeightsRequest {
  'policy'?: (string);
  /**
   * 0: the newest
   */
  'version'?: (number | string | Long);
}

export interface GetWeightsRequest__Output {
  'policy': (string);
  /**
   * 0: the newest
   */
  'version': (number);
}
