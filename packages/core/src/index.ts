export type { NumpyRandom } from './rng/types.js';
export { SeedSequence, intToUint32Words, type SeedEntropy } from './rng/seedSequence.js';
export {
  PCG64,
  PCG64_WORDS,
  type PCG64State,
  type NumpyPCG64State,
} from './rng/pcg64.js';
export { NumpyGenerator, type NumpyGeneratorState } from './rng/generator.js';
export { npRandom, type NpRandomResult } from './rng/seeding.js';
export {
  TransitionReplay,
  type TransitionReplayOptions,
  type TransitionBatch,
  type ReplaySplit,
} from './replay/transitionReplay.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  isSafeDtype,
  type SafeDtype,
  type SafeTensor,
  type SafeTypedArray,
  type SafeArrayOf,
  type SafetensorsFile,
} from './serialize/safetensors.js';
