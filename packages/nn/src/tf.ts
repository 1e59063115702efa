/**
 * The single TensorFlow.js instance of the project (core ops, chained ops, gradients, layers, the
 * cpu backend). Every package imports `tf` from `@reverie/nn`, so tensors, variables and the engine
 * are never split across copies; `@tensorflow/tfjs-node(-gpu)`, when installed, builds on this same
 * `@tensorflow/tfjs` and registers its backend into it.
 */
export * from '@tensorflow/tfjs';
