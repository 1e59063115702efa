// Original file: ../../protos/reverie/v1/tensor.proto

import type { DType as _reverie_v1_DType, DType__Output as _reverie_v1_DType__Output } from '../../reverie/v1/DType.js';

/**
 * A dense tensor: row-major elements packed as little-endian bytes. Never repeated floats.
 * data.length must equal product(shape) * size_of(dtype); an empty shape is a scalar.
 */
export interface Tensor {
  'dtype'?: (_reverie_v1_DType);
  'shape'?: (number)[];
  'data'?: (Buffer | Uint8Array | string);
}

/**
 * A dense tensor: row-major elements packed as little-endian bytes. Never repeated floats.
 * data.length must equal product(shape) * size_of(dtype); an empty shape is a scalar.
 */
export interface Tensor__Output {
  'dtype': (_reverie_v1_DType__Output);
  'shape': (number)[];
  'data': (Buffer);
}
