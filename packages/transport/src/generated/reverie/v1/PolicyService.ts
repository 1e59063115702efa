// Original file: ../../protos/reverie/v1/policy.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ActRequest as _reverie_v1_ActRequest, ActRequest__Output as _reverie_v1_ActRequest__Output } from '../../reverie/v1/ActRequest.js';
import type { ActResponse as _reverie_v1_ActResponse, ActResponse__Output as _reverie_v1_ActResponse__Output } from '../../reverie/v1/ActResponse.js';

export interface PolicyServiceClient extends grpc.Client {
  Act(argument: _reverie_v1_ActRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ActResponse__Output>): grpc.ClientUnaryCall;
  Act(argument: _reverie_v1_ActRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_ActResponse__Output>): grpc.ClientUnaryCall;
  Act(argument: _reverie_v1_ActRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ActResponse__Output>): grpc.ClientUnaryCall;
  Act(argument: _reverie_v1_ActRequest, callback: grpc.requestCallback<_reverie_v1_ActResponse__Output>): grpc.ClientUnaryCall;
  act(argument: _reverie_v1_ActRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ActResponse__Output>): grpc.ClientUnaryCall;
  act(argument: _reverie_v1_ActRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_ActResponse__Output>): grpc.ClientUnaryCall;
  act(argument: _reverie_v1_ActRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ActResponse__Output>): grpc.ClientUnaryCall;
  act(argument: _reverie_v1_ActRequest, callback: grpc.requestCallback<_reverie_v1_ActResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Responses may come back in another order than requests; match them by request_id.
   */
  ActStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_reverie_v1_ActRequest, _reverie_v1_ActResponse__Output>;
  ActStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_reverie_v1_ActRequest, _reverie_v1_ActResponse__Output>;
  /**
   * Responses may come back in another order than requests; match them by request_id.
   */
  actStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_reverie_v1_ActRequest, _reverie_v1_ActResponse__Output>;
  actStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_reverie_v1_ActRequest, _reverie_v1_ActResponse__Output>;
  
}

export interface PolicyServiceHandlers extends grpc.UntypedServiceImplementation {
  Act: grpc.handleUnaryCall<_reverie_v1_ActRequest__Output, _reverie_v1_ActResponse>;
  
  /**
   * Responses may come back in another order than requests; match them by request_id.
   */
  ActStream: grpc.handleBidiStreamingCall<_reverie_v1_ActRequest__Output, _reverie_v1_ActResponse>;
  
}

export interface PolicyServiceDefinition extends grpc.ServiceDefinition {
  Act: MethodDefinition<_reverie_v1_ActRequest, _reverie_v1_ActResponse, _reverie_v1_ActRequest__Output, _reverie_v1_ActResponse__Output>
  ActStream: MethodDefinition<_reverie_v1_ActRequest, _reverie_v1_ActResponse, _reverie_v1_ActRequest__Output, _reverie_v1_ActResponse__Output>
}
