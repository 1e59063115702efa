export { WeightStore, type WeightStoreOptions, type StoredVersion } from './store/weightStore.js';
export type { VersionRecord } from './store/record.js';
export type { TensorShapes } from './store/payload.js';
export { ModelServerError, toStatus } from './errors.js';
export { ModelRegistry, type ModelRegistryDeps, type VersionListener } from './registry/modelRegistry.js';
export type { WeightsBroadcast } from './registry/broadcast.js';
export { InProcessWeightsBroadcast } from './registry/inProcessBroadcast.js';
export { NatsWeightsBroadcast } from './registry/natsBroadcast.js';
export { createModelServerMetrics, type ModelServerMetrics } from './metrics.js';
