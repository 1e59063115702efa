export { WeightStore, type WeightStoreOptions, type StoredVersion } from './store/weightStore.js';
export type { VersionRecord } from './store/record.js';
export type { TensorShapes } from './store/payload.js';
export { ModelServerError, toStatus } from './errors.js';
export { ModelRegistry, type ModelRegistryDeps, type VersionListener } from './registry/modelRegistry.js';
export type { WeightsBroadcast } from './registry/broadcast.js';
export { InProcessWeightsBroadcast } from './registry/inProcessBroadcast.js';
export { NatsWeightsBroadcast } from './registry/natsBroadcast.js';
export { createModelServerMetrics, type ModelServerMetrics } from './metrics.js';
export { WEIGHTS_CHUNK_BYTES, modelServiceHandlers, type ModelServiceOptions } from './grpc/modelService.js';
export { GrpcWeightsPublisher, type GrpcWeightsPublisherOptions } from './grpc/publisherClient.js';
export { policyServiceHandlers, ActPipeline, type PolicyServiceOptions } from './serving/policyService.js';
export { ServedPolicies, type ServedPolicy, type ServedPoliciesOptions } from './serving/servedPolicies.js';
export {
  loadModelServerConfig,
  defaultModelServerConfig,
  ModelServerConfigError,
  CONFIG_FIELDS,
  type ModelServerConfig,
  type LoadOptions as ModelServerConfigSources,
} from './config.js';
export { startModelServer, type ModelServerDeps, type ModelServerHandle } from './server.js';
