// Original file: ../../protos/reverie/v1/learner.proto


export interface LearnerStatusRequest {
}

export interface LearnerStatusRequest__Output {
}
