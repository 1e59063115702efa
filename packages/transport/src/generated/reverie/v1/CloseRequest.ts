// Original file: ../../protos/reverie/v1/env.proto


export interface CloseRequest {
  'session'?: (string);
}

export interface CloseRequest__Output {
  'session': (string);
}
