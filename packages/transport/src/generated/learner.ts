import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { LearnerServiceClient as _reverie_v1_LearnerServiceClient, LearnerServiceDefinition as _reverie_v1_LearnerServiceDefinition } from './reverie/v1/LearnerService.js';
import type { LearnerStatus as _reverie_v1_LearnerStatus, LearnerStatus__Output as _reverie_v1_LearnerStatus__Output } from './reverie/v1/LearnerStatus.js';
import type { LearnerStatusRequest as _reverie_v1_LearnerStatusRequest, LearnerStatusRequest__Output as _reverie_v1_LearnerStatusRequest__Output } from './reverie/v1/LearnerStatusRequest.js';
import type { PushAck as _reverie_v1_PushAck, PushAck__Output as _reverie_v1_PushAck__Output } from './reverie/v1/PushAck.js';
import type { Tensor as _reverie_v1_Tensor, Tensor__Output as _reverie_v1_Tensor__Output } from './reverie/v1/Tensor.js';
import type { TrajectoryChunk as _reverie_v1_TrajectoryChunk, TrajectoryChunk__Output as _reverie_v1_TrajectoryChunk__Output } from './reverie/v1/TrajectoryChunk.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  reverie: {
    v1: {
      DType: EnumTypeDefinition
      LearnerService: SubtypeConstructor<typeof grpc.Client, _reverie_v1_LearnerServiceClient> & { service: _reverie_v1_LearnerServiceDefinition }
      LearnerStatus: MessageTypeDefinition<_reverie_v1_LearnerStatus, _reverie_v1_LearnerStatus__Output>
      LearnerStatusRequest: MessageTypeDefinition<_reverie_v1_LearnerStatusRequest, _reverie_v1_LearnerStatusRequest__Output>
      PushAck: MessageTypeDefinition<_reverie_v1_PushAck, _reverie_v1_PushAck__Output>
      Tensor: MessageTypeDefinition<_reverie_v1_Tensor, _reverie_v1_Tensor__Output>
      TrajectoryChunk: MessageTypeDefinition<_reverie_v1_TrajectoryChunk, _reverie_v1_TrajectoryChunk__Output>
    }
  }
}

