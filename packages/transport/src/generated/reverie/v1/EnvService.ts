// Original file: ../../protos/reverie/v1/env.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CloseRequest as _reverie_v1_CloseRequest, CloseRequest__Output as _reverie_v1_CloseRequest__Output } from '../../reverie/v1/CloseRequest.js';
import type { CloseResponse as _reverie_v1_CloseResponse, CloseResponse__Output as _reverie_v1_CloseResponse__Output } from '../../reverie/v1/CloseResponse.js';
import type { EnvSpec as _reverie_v1_EnvSpec, EnvSpec__Output as _reverie_v1_EnvSpec__Output } from '../../reverie/v1/EnvSpec.js';
import type { EnvSpecRequest as _reverie_v1_EnvSpecRequest, EnvSpecRequest__Output as _reverie_v1_EnvSpecRequest__Output } from '../../reverie/v1/EnvSpecRequest.js';
import type { ResetRequest as _reverie_v1_ResetRequest, ResetRequest__Output as _reverie_v1_ResetRequest__Output } from '../../reverie/v1/ResetRequest.js';
import type { ResetResponse as _reverie_v1_ResetResponse, ResetResponse__Output as _reverie_v1_ResetResponse__Output } from '../../reverie/v1/ResetResponse.js';
import type { StepRequest as _reverie_v1_StepRequest, StepRequest__Output as _reverie_v1_StepRequest__Output } from '../../reverie/v1/StepRequest.js';
import type { StepResponse as _reverie_v1_StepResponse, StepResponse__Output as _reverie_v1_StepResponse__Output } from '../../reverie/v1/StepResponse.js';

/**
 * An external simulator as an environment that actors step, one session per env.
 */
export interface EnvServiceClient extends grpc.Client {
  Close(argument: _reverie_v1_CloseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_CloseResponse__Output>): grpc.ClientUnaryCall;
  Close(argument: _reverie_v1_CloseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_CloseResponse__Output>): grpc.ClientUnaryCall;
  Close(argument: _reverie_v1_CloseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_CloseResponse__Output>): grpc.ClientUnaryCall;
  Close(argument: _reverie_v1_CloseRequest, callback: grpc.requestCallback<_reverie_v1_CloseResponse__Output>): grpc.ClientUnaryCall;
  
  GetSpec(argument: _reverie_v1_EnvSpecRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_EnvSpec__Output>): grpc.ClientUnaryCall;
  GetSpec(argument: _reverie_v1_EnvSpecRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_EnvSpec__Output>): grpc.ClientUnaryCall;
  GetSpec(argument: _reverie_v1_EnvSpecRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_EnvSpec__Output>): grpc.ClientUnaryCall;
  GetSpec(argument: _reverie_v1_EnvSpecRequest, callback: grpc.requestCallback<_reverie_v1_EnvSpec__Output>): grpc.ClientUnaryCall;
  getSpec(argument: _reverie_v1_EnvSpecRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_EnvSpec__Output>): grpc.ClientUnaryCall;
  getSpec(argument: _reverie_v1_EnvSpecRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_EnvSpec__Output>): grpc.ClientUnaryCall;
  getSpec(argument: _reverie_v1_EnvSpecRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_EnvSpec__Output>): grpc.ClientUnaryCall;
  getSpec(argument: _reverie_v1_EnvSpecRequest, callback: grpc.requestCallback<_reverie_v1_EnvSpec__Output>): grpc.ClientUnaryCall;
  
  Reset(argument: _reverie_v1_ResetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ResetResponse__Output>): grpc.ClientUnaryCall;
  Reset(argument: _reverie_v1_ResetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_ResetResponse__Output>): grpc.ClientUnaryCall;
  Reset(argument: _reverie_v1_ResetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ResetResponse__Output>): grpc.ClientUnaryCall;
  Reset(argument: _reverie_v1_ResetRequest, callback: grpc.requestCallback<_reverie_v1_ResetResponse__Output>): grpc.ClientUnaryCall;
  reset(argument: _reverie_v1_ResetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ResetResponse__Output>): grpc.ClientUnaryCall;
  reset(argument: _reverie_v1_ResetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_ResetResponse__Output>): grpc.ClientUnaryCall;
  reset(argument: _reverie_v1_ResetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ResetResponse__Output>): grpc.ClientUnaryCall;
  reset(argument: _reverie_v1_ResetRequest, callback: grpc.requestCallback<_reverie_v1_ResetResponse__Output>): grpc.ClientUnaryCall;
  
  Step(argument: _reverie_v1_StepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_StepResponse__Output>): grpc.ClientUnaryCall;
  Step(argument: _reverie_v1_StepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_StepResponse__Output>): grpc.ClientUnaryCall;
  Step(argument: _reverie_v1_StepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_StepResponse__Output>): grpc.ClientUnaryCall;
  Step(argument: _reverie_v1_StepRequest, callback: grpc.requestCallback<_reverie_v1_StepResponse__Output>): grpc.ClientUnaryCall;
  step(argument: _reverie_v1_StepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_StepResponse__Output>): grpc.ClientUnaryCall;
  step(argument: _reverie_v1_StepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_StepResponse__Output>): grpc.ClientUnaryCall;
  step(argument: _reverie_v1_StepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_StepResponse__Output>): grpc.ClientUnaryCall;
  step(argument: _reverie_v1_StepRequest, callback: grpc.requestCallback<_reverie_v1_StepResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * An external simulator as an environment that actors step, one session per env.
 */
export interface EnvServiceHandlers extends grpc.UntypedServiceImplementation {
  Close: grpc.handleUnaryCall<_reverie_v1_CloseRequest__Output, _reverie_v1_CloseResponse>;
  
  GetSpec: grpc.handleUnaryCall<_reverie_v1_EnvSpecRequest__Output, _reverie_v1_EnvSpec>;
  
  Reset: grpc.handleUnaryCall<_reverie_v1_ResetRequest__Output, _reverie_v1_ResetResponse>;
  
  Step: grpc.handleUnaryCall<_reverie_v1_StepRequest__Output, _reverie_v1_StepResponse>;
  
}

export interface EnvServiceDefinition extends grpc.ServiceDefinition {
  Close: MethodDefinition<_reverie_v1_CloseRequest, _reverie_v1_CloseResponse, _reverie_v1_CloseRequest__Output, _reverie_v1_CloseResponse__Output>
  GetSpec: MethodDefinition<_reverie_v1_EnvSpecRequest, _reverie_v1_EnvSpec, _reverie_v1_EnvSpecRequest__Output, _reverie_v1_EnvSpec__Output>
  Reset: MethodDefinition<_reverie_v1_ResetRequest, _reverie_v1_ResetResponse, _reverie_v1_ResetRequest__Output, _reverie_v1_ResetResponse__Output>
  Step: MethodDefinition<_reverie_v1_StepRequest, _reverie_v1_StepResponse, _reverie_v1_StepRequest__Output, _reverie_v1_StepResponse__Output>
}
