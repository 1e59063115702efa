// Original file: ../../protos/reverie/v1/env.proto

import type { Long } from '@grpc/proto-loader';

export interface ResetRequest {
  /**
   * empty: open a new session
   */
  'session'?: (string);
  'seeded'?: (boolean);
  /**
   * used when seeded
   */
  'seed'?: (number | string | Long);
}

export interface ResetRequest__Output {
  /**
   * empty: open a new session
   */
  'session': (string);
  'seeded': (boolean);
  /**
   * used when seeded
   */
  'seed': (number);
}
