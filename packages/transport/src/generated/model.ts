import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetWeightsRequest as _reverie_v1_GetWeightsRequest, GetWeightsRequest__Output as _reverie_v1_GetWeightsRequest__Output } from './reverie/v1/GetWeightsRequest.js';
import type { ListVersionsRequest as _reverie_v1_ListVersionsRequest, ListVersionsRequest__Output as _reverie_v1_ListVersionsRequest__Output } from './reverie/v1/ListVersionsRequest.js';
import type { ListVersionsResponse as _reverie_v1_ListVersionsResponse, ListVersionsResponse__Output as _reverie_v1_ListVersionsResponse__Output } from './reverie/v1/ListVersionsResponse.js';
import type { ModelServiceClient as _reverie_v1_ModelServiceClient, ModelServiceDefinition as _reverie_v1_ModelServiceDefinition } from './reverie/v1/ModelService.js';
import type { PublishWeightsResponse as _reverie_v1_PublishWeightsResponse, PublishWeightsResponse__Output as _reverie_v1_PublishWeightsResponse__Output } from './reverie/v1/PublishWeightsResponse.js';
import type { WeightsAnnouncement as _reverie_v1_WeightsAnnouncement, WeightsAnnouncement__Output as _reverie_v1_WeightsAnnouncement__Output } from './reverie/v1/WeightsAnnouncement.js';
import type { WeightsChunk as _reverie_v1_WeightsChunk, WeightsChunk__Output as _reverie_v1_WeightsChunk__Output } from './reverie/v1/WeightsChunk.js';
import type { WeightsMetadata as _reverie_v1_WeightsMetadata, WeightsMetadata__Output as _reverie_v1_WeightsMetadata__Output } from './reverie/v1/WeightsMetadata.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  reverie: {
    v1: {
      GetWeightsRequest: MessageTypeDefinition<_reverie_v1_GetWeightsRequest, _reverie_v1_GetWeightsRequest__Output>
      ListVersionsRequest: MessageTypeDefinition<_reverie_v1_ListVersionsRequest, _reverie_v1_ListVersionsRequest__Output>
      ListVersionsResponse: MessageTypeDefinition<_reverie_v1_ListVersionsResponse, _reverie_v1_ListVersionsResponse__Output>
      ModelService: SubtypeConstructor<typeof grpc.Client, _reverie_v1_ModelServiceClient> & { service: _reverie_v1_ModelServiceDefinition }
      PublishWeightsResponse: MessageTypeDefinition<_reverie_v1_PublishWeightsResponse, _reverie_v1_PublishWeightsResponse__Output>
      WeightsAnnouncement: MessageTypeDefinition<_reverie_v1_WeightsAnnouncement, _reverie_v1_WeightsAnnouncement__Output>
      WeightsChunk: MessageTypeDefinition<_reverie_v1_WeightsChunk, _reverie_v1_WeightsChunk__Output>
      WeightsMetadata: MessageTypeDefinition<_reverie_v1_WeightsMetadata, _reverie_v1_WeightsMetadata__Output>
    }
  }
}

