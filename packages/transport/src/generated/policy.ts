import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ActRequest as _reverie_v1_ActRequest, ActRequest__Output as _reverie_v1_ActRequest__Output } from './reverie/v1/ActRequest.js';
import type { ActResponse as _reverie_v1_ActResponse, ActResponse__Output as _reverie_v1_ActResponse__Output } from './reverie/v1/ActResponse.js';
import type { PolicyServiceClient as _reverie_v1_PolicyServiceClient, PolicyServiceDefinition as _reverie_v1_PolicyServiceDefinition } from './reverie/v1/PolicyService.js';
import type { Tensor as _reverie_v1_Tensor, Tensor__Output as _reverie_v1_Tensor__Output } from './reverie/v1/Tensor.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  reverie: {
    v1: {
      ActRequest: MessageTypeDefinition<_reverie_v1_ActRequest, _reverie_v1_ActRequest__Output>
      ActResponse: MessageTypeDefinition<_reverie_v1_ActResponse, _reverie_v1_ActResponse__Output>
      DType: EnumTypeDefinition
      PolicyService: SubtypeConstructor<typeof grpc.Client, _reverie_v1_PolicyServiceClient> & { service: _reverie_v1_PolicyServiceDefinition }
      Tensor: MessageTypeDefinition<_reverie_v1_Tensor, _reverie_v1_Tensor__Output>
    }
  }
}

