// Original file: ../../protos/reverie/v1/model.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetWeightsRequest as _reverie_v1_GetWeightsRequest, GetWeightsRequest__Output as _reverie_v1_GetWeightsRequest__Output } from '../../reverie/v1/GetWeightsRequest.js';
import type { ListVersionsRequest as _reverie_v1_ListVersionsRequest, ListVersionsRequest__Output as _reverie_v1_ListVersionsRequest__Output } from '../../reverie/v1/ListVersionsRequest.js';
import type { ListVersionsResponse as _reverie_v1_ListVersionsResponse, ListVersionsResponse__Output as _reverie_v1_ListVersionsResponse__Output } from '../../reverie/v1/ListVersionsResponse.js';
import type { PublishWeightsResponse as _reverie_v1_PublishWeightsResponse, PublishWeightsResponse__Output as _reverie_v1_PublishWeightsResponse__Output } from '../../reverie/v1/PublishWeightsResponse.js';
import type { WeightsChunk as _reverie_v1_WeightsChunk, WeightsChunk__Output as _reverie_v1_WeightsChunk__Output } from '../../reverie/v1/WeightsChunk.js';

export interface ModelServiceClient extends grpc.Client {
  GetWeights(argument: _reverie_v1_GetWeightsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_reverie_v1_WeightsChunk__Output>;
  GetWeights(argument: _reverie_v1_GetWeightsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_reverie_v1_WeightsChunk__Output>;
  getWeights(argument: _reverie_v1_GetWeightsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_reverie_v1_WeightsChunk__Output>;
  getWeights(argument: _reverie_v1_GetWeightsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_reverie_v1_WeightsChunk__Output>;
  
  ListVersions(argument: _reverie_v1_ListVersionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  ListVersions(argument: _reverie_v1_ListVersionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  ListVersions(argument: _reverie_v1_ListVersionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  ListVersions(argument: _reverie_v1_ListVersionsRequest, callback: grpc.requestCallback<_reverie_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  listVersions(argument: _reverie_v1_ListVersionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  listVersions(argument: _reverie_v1_ListVersionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  listVersions(argument: _reverie_v1_ListVersionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  listVersions(argument: _reverie_v1_ListVersionsRequest, callback: grpc.requestCallback<_reverie_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Requires a bearer token when the server has one configured. version 0 in the metadata asks
   * the server to assign the next version.
   */
  PublishWeights(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_PublishWeightsResponse__Output>): grpc.ClientWritableStream<_reverie_v1_WeightsChunk>;
  PublishWeights(metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_PublishWeightsResponse__Output>): grpc.ClientWritableStream<_reverie_v1_WeightsChunk>;
  PublishWeights(options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_PublishWeightsResponse__Output>): grpc.ClientWritableStream<_reverie_v1_WeightsChunk>;
  PublishWeights(callback: grpc.requestCallback<_reverie_v1_PublishWeightsResponse__Output>): grpc.ClientWritableStream<_reverie_v1_WeightsChunk>;
  /**
   * Requires a bearer token when the server has one configured. version 0 in the metadata asks
   * the server to assign the next version.
   */
  publishWeights(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_PublishWeightsResponse__Output>): grpc.ClientWritableStream<_reverie_v1_WeightsChunk>;
  publishWeights(metadata: grpc.Metadata, callback: grpc.requestCallback<_reverie_v1_PublishWeightsResponse__Output>): grpc.ClientWritableStream<_reverie_v1_WeightsChunk>;
  publishWeights(options: grpc.CallOptions, callback: grpc.requestCallback<_reverie_v1_PublishWeightsResponse__Output>): grpc.ClientWritableStream<_reverie_v1_WeightsChunk>;
  publishWeights(callback: grpc.requestCallback<_reverie_v1_PublishWeightsResponse__Output>): grpc.ClientWritableStream<_reverie_v1_WeightsChunk>;
  
}

export interface ModelServiceHandlers extends grpc.UntypedServiceImplementation {
  GetWeights: grpc.handleServerStreamingCall<_reverie_v1_GetWeightsRequest__Output, _reverie_v1_WeightsChunk>;
  
  ListVersions: grpc.handleUnaryCall<_reverie_v1_ListVersionsRequest__Output, _reverie_v1_ListVersionsResponse>;
  
  /**
   * Requires a bearer token when the server has one configured. version 0 in the metadata asks
   * the server to assign the next version.
   */
  PublishWeights: grpc.handleClientStreamingCall<_reverie_v1_WeightsChunk__Output, _reverie_v1_PublishWeightsResponse>;
  
}

export interface ModelServiceDefinition extends grpc.ServiceDefinition {
  GetWeights: MethodDefinition<_reverie_v1_GetWeightsRequest, _reverie_v1_WeightsChunk, _reverie_v1_GetWeightsRequest__Output, _reverie_v1_WeightsChunk__Output>
  ListVersions: MethodDefinition<_reverie_v1_ListVersionsRequest, _reverie_v1_ListVersionsResponse, _reverie_v1_ListVersionsRequest__Output, _reverie_v1_ListVersionsResponse__Output>
  PublishWeights: MethodDefinition<_reverie_v1_WeightsChunk, _reverie_v1_PublishWeightsResponse, _reverie_v1_WeightsChunk__Output, _reverie_v1_PublishWeightsResponse__Output>
}
