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
