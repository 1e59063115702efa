export {
  type ActionSpec,
  actionSpecOf,
  rawActionSize,
  encodedActionSize,
  type NormStats,
} from './inputs.js';
export { type WorldModelOptions, type WorldModelPrediction, WorldModelBase } from './base.js';
export { DeterministicWorldModel } from './deterministic.js';
export { ProbabilisticEnsemble, type EnsembleOptions, type EnsemblePrediction } from './ensemble.js';
export {
  trainWorldModel,
  type WorldModel,
  type TrainWorldModelOptions,
  type TrainLogEntry,
  type TrainResult,
  type LossSummary,
} from './train.js';
export { saveWorldModel, loadWorldModel, loadWorldModelWeights } from './io.js';
export { WorldModelDynamics, type WorldModelDynamicsOptions, type ActionSpaceLike } from './dynamics.js';
export { dataSupportCost, type SupportCostOptions } from './supportCost.js';
