// Original file: ../../protos/reverie/v1/learner.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { LearnerStatus as _reverie_v1_LearnerStatus, LearnerStatus__Output as _reverie_v1_LearnerStatus__Output } from '../../reverie/v1/LearnerStatus.js';
import type { LearnerStatusRequest as _reverie_v1_LearnerStatusRequest, LearnerStatusRequest__Output as _reverie_v1_LearnerStatusRequest__Output } from '../../reverie/v1/LearnerStatusRequest.js';
import type { PushAck as _reverie_v1_PushAck, PushAck__Output as _reverie_v1_PushAck__Output } from '../../reverie/v1/PushAck.js';
import type { TrajectoryChunk as _reverie_v1_TrajectoryChunk, TrajectoryChunk__Output as _reverie_v1_TrajectoryChunk__Output } from '../../reverie/v1/TrajectoryChunk.js';

export interface LearnerServiceClient extends grpc.Client {
  GetStatus(argument: _reverie_v1_LearnerStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_LearnerStatus__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _reverie_v1_LearnerStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_LearnerStatus__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _reverie_v1_LearnerStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_LearnerStatus__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _reverie_v1_LearnerStatusRequest, callback: grpc.requestCallback<_reverie_v1_LearnerStatus__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _reverie_v1_LearnerStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_LearnerStatus__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _reverie_v1_LearnerStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_LearnerStatus__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _reverie_v1_LearnerStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_LearnerStatus__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _reverie_v1_LearnerStatusRequest, callback: grpc.requestCallback<_reverie_v1_LearnerStatus__Output>): grpc.ClientUnaryCall;
  
  /**
   * Actors stream chunks; the learner acknowledges each chunk once it is stored.
   */
  PushTrajectories(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_reverie_v1_TrajectoryChunk, _reverie_v1_PushAck__Output>;
  PushTrajectories(options?: grpc.CallOptions): grpc.ClientDuplexStream<_reverie_v1_TrajectoryChunk, _reverie_v1_PushAck__Output>;
  /**
   * Actors stream chunks; the learner acknowledges each chunk once it is stored.
   */
  pushTrajectories(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_reverie_v1_TrajectoryChunk, _reverie_v1_PushAck__Output>;
  pushTrajectories(options?: grpc.CallOptions): grpc.ClientDuplexStream<_reverie_v1_TrajectoryChunk, _reverie_v1_PushAck__Output>;
  
}

export interface LearnerServiceHandlers extends grpc.UntypedServiceImplementation {
  GetStatus: grpc.handleUnaryCall<_reverie_v1_LearnerStatusRequest__Output, _reverie_v1_LearnerStatus>;
  
  /**
   * Actors stream chunks; the learner acknowledges each chunk once it is stored.
   */
  PushTrajectories: grpc.handleBidiStreamingCall<_reverie_v1_TrajectoryChunk__Output, _reverie_v1_PushAck>;
  
}

export interface LearnerServiceDefinition extends grpc.ServiceDefinition {
  GetStatus: MethodDefinition<_reverie_v1_LearnerStatusRequest, _reverie_v1_LearnerStatus, _reverie_v1_LearnerStatusRequest__Output, _reverie_v1_LearnerStatus__Output>
  PushTrajectories: MethodDefinition<_reverie_v1_TrajectoryChunk, _reverie_v1_PushAck, _reverie_v1_TrajectoryChunk__Output, _reverie_v1_PushAck__Output>
}
