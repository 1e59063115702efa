import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CloseRequest as _reverie_v1_CloseRequest, CloseRequest__Output as _reverie_v1_CloseRequest__Output } from './reverie/v1/CloseRequest.js';
import type { CloseResponse as _reverie_v1_CloseResponse, CloseResponse__Output as _reverie_v1_CloseResponse__Output } from './reverie/v1/CloseResponse.js';
import type { EnvServiceClient as _reverie_v1_EnvServiceClient, EnvServiceDefinition as _reverie_v1_EnvServiceDefinition } from './reverie/v1/EnvService.js';
import type { EnvSpec as _reverie_v1_EnvSpec, EnvSpec__Output as _reverie_v1_EnvSpec__Output } from './reverie/v1/EnvSpec.js';
import type { EnvSpecRequest as _reverie_v1_EnvSpecRequest, EnvSpecRequest__Output as _reverie_v1_EnvSpecRequest__Output } from './reverie/v1/EnvSpecRequest.js';
import type { ResetRequest as _reverie_v1_ResetRequest, ResetRequest__Output as _reverie_v1_ResetRequest__Output } from './reverie/v1/ResetRequest.js';
import type { ResetResponse as _reverie_v1_ResetResponse, ResetResponse__Output as _reverie_v1_ResetResponse__Output } from './reverie/v1/ResetResponse.js';
import type { Space as _reverie_v1_Space, Space__Output as _reverie_v1_Space__Output } from './reverie/v1/Space.js';
import type { StepRequest as _reverie_v1_StepRequest, StepRequest__Output as _reverie_v1_StepRequest__Output } from './reverie/v1/StepRequest.js';
import type { StepResponse as _reverie_v1_StepResponse, StepResponse__Output as _reverie_v1_StepResponse__Output } from './reverie/v1/StepResponse.js';
import type { Tensor as _reverie_v1_Tensor, Tensor__Output as _reverie_v1_Tensor__Output } from './reverie/v1/Tensor.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  reverie: {
    v1: {
      CloseRequest: MessageTypeDefinition<_reverie_v1_CloseRequest, _reverie_v1_CloseRequest__Output>
      CloseResponse: MessageTypeDefinition<_reverie_v1_CloseResponse, _reverie_v1_CloseResponse__Output>
      DType: EnumTypeDefinition
      /**
       * An external simulator as an environment that actors step, one session per env.
       */
      EnvService: SubtypeConstructor<typeof grpc.Client, _reverie_v1_EnvServiceClient> & { service: _reverie_v1_EnvServiceDefinition }
      EnvSpec: MessageTypeDefinition<_reverie_v1_EnvSpec, _reverie_v1_EnvSpec__Output>
      EnvSpecRequest: MessageTypeDefinition<_reverie_v1_EnvSpecRequest, _reverie_v1_EnvSpecRequest__Output>
      ResetRequest: MessageTypeDefinition<_reverie_v1_ResetRequest, _reverie_v1_ResetRequest__Output>
      ResetResponse: MessageTypeDefinition<_reverie_v1_ResetResponse, _reverie_v1_ResetResponse__Output>
      Space: MessageTypeDefinition<_reverie_v1_Space, _reverie_v1_Space__Output>
      StepRequest: MessageTypeDefinition<_reverie_v1_StepRequest, _reverie_v1_StepRequest__Output>
      StepResponse: MessageTypeDefinition<_reverie_v1_StepResponse, _reverie_v1_StepResponse__Output>
      Tensor: MessageTypeDefinition<_reverie_v1_Tensor, _reverie_v1_Tensor__Output>
    }
  }
}

