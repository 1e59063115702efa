export { PolicyFormatError, PolicyInputError } from './errors.js';
export {
  POLICY_KINDS,
  ACTIVATIONS,
  META as POLICY_METADATA_KEYS,
  expectedTensors,
  layerSizes,
  obsSizeOf,
  validateSpec,
  type PolicyKind,
  type Activation,
  type MlpQSpec,
  type QTableSpec,
  type PolicySpec,
} from './spec.js';
export { QPolicy, type Policy, type ActExtras } from './policy.js';
export { MlpQPolicy } from './mlp.js';
export { QTablePolicy } from './table.js';
export { Scratch } from './scratch.js';
export { encodePolicyWeights, decodePolicy, createPolicy } from './format.js';
export { epsilonGreedy } from './explore.js';
