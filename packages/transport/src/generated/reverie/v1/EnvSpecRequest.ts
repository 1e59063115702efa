// Original file: ../../protos/reverie/v1/env.proto


export interface EnvSpecRequest {
}

export interface EnvSpecRequest__Output {
}
