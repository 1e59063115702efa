export { EnvError } from './errors.js';
export { Discrete, Box, type Space } from './spaces.js';
export {
  Env,
  type EnvSpec,
  type EnvState,
  type Info,
  type ResetArgs,
  type ResetResult,
  type StepResult,
  type RgbImage,
} from './env.js';
export { make, register, registeredIds, type EnvRegistration, type MakeOptions, type EnvKwargs } from './registry.js';
export * from './toytext/index.js';
export * from './classic/index.js';
export { makeVec, VectorEnv, type AutoresetMode, type VecOptions, type VecStepResult } from './vector.js';

import './classic/register.js';
import './toytext/register.js';
