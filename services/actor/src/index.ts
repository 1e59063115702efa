export { PooledVectorEnv, type PooledVectorEnvOptions } from './rollout/pooledVectorEnv.js';
export { RolloutError } from './rollout/rolloutError.js';
export {
  TrajectoryAssembler,
  type TrajectoryAssemblerOptions,
  type TrajectoryChunk,
  type ActingView,
  type OutcomeView,
} from './rollout/trajectoryAssembler.js';
export { runActorLoop, type ActorLoopOptions, type VersionedPolicy } from './rollout/actorLoop.js';
export { startActor, type ActorDeps, type RunningActor } from './service/actorService.js';
export { loadActorConfig, defaultConfig, ActorConfigError, CONFIG_FIELDS, type ActorConfig, type LoadActorConfigOptions } from './service/config.js';
export {
  TrajectorySender,
  type ChunkSender,
  type TrajectorySenderOptions,
  type SenderEvents,
  type BackoffOptions,
  type PushStream,
} from './service/trajectorySender.js';
export { SinkSender, type SinkSenderOptions } from './service/sinkSender.js';
export { toChunkMessage, type ChunkIdentity } from './service/chunkMessage.js';
export { ActorMetrics } from './service/metrics.js';
