// Original file: ../../protos/reverie/v1/env.proto


export interface CloseResponse {
}

export interface CloseResponse__Output {
}
