export { PlanningError } from './errors.js';
export {
  actionSize,
  type ActionSpec,
  type BatchDynamics,
  type StepOutputs,
  type Termination,
  type ValueFn,
} from './dynamics.js';
export { TrueEnvDynamics } from './trueEnv.js';
export { type Action, type Planner, type RolloutOptions } from './planner.js';
export { OneStepGreedy, type OneStepGreedyOptions } from './greedy.js';
export { RandomShooting, type RandomShootingOptions } from './shooting.js';
export { CEM, type CEMOptions } from './cem.js';
export { evaluatePlanner, type EvaluateOptions, type EvaluateResult } from './evaluate.js';
