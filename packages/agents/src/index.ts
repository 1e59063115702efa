export { QNetwork } from './qnet.js';
export { DQN, dqnTargets, huberLoss, argmax, type DqnOptions, type DqnBatch } from './dqn.js';
export { evaluateGreedy, type EvalResult } from './evaluate.js';
export { MixedSampler } from './mixed.js';
export { branchedRollouts, nStepRolloutPolicy, type RolloutModel, type RolloutOptions, type RolloutStats, type BatchPolicy } from './rollouts.js';
export { trainDynaDQN, type DynaDqnResult, type EvalPoint } from './dyna.js';
export { linear, resolveDynaOptions, type DynaDqnOptions, type LinearSchedule, type ResolvedDynaOptions } from './options.js';
export { qNetworkPolicyWeights, qNetworkPolicySpec } from './export.js';
