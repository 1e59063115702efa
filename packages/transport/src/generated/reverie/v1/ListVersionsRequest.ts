// Original file: ../../protos/reverie/v1/model.proto


export interface ListVersionsRequest {
  /**
   * empty: every policy
   */
  'policy'?: (string);
}

export interface ListVersionsRequest__Output {
  /**
   * empty: every policy
   */
  'policy': (string);
}
