import * as tf from './tf.js';

export { tf };
export {
  initBackend,
  backendInfo,
  describeBackend,
  requireBackend,
  isMissingModule,
  BACKEND_CHOICES,
  BACKEND_ENV_VAR,
  type BackendName,
  type BackendChoice,
  type BackendInfo,
  type InitBackendOptions,
} from './backend.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  isSafeDtype,
  type SafeDtype,
  type SafeTensor,
  type SafeTypedArray,
  type SafeArrayOf,
  type SafetensorsFile,
} from '@reverie/core';
export { saveVariables, loadInto, type WeightContainer } from './weights.js';
export { linear } from './linear.js';
