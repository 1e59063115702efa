/**
 * The single TensorFlow.js instance of the project: core ops plus the layers API. Every package
 * imports `tf` from `@reverie/nn`, so tensors, variables and the engine are never split across copies.
 */
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
