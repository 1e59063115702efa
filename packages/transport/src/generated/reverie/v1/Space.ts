// Original file: ../../protos/reverie/v1/env.proto

import type { Tensor as _reverie_v1_Tensor, Tensor__Output as _reverie_v1_Tensor__Output } from '../../reverie/v1/Tensor.js';

/**
 * A space, as Gymnasium describes it.
 */
export interface Space {
  /**
   * "discrete" or "box"
   */
  'kind'?: (string);
  /**
   * discrete
   */
  'n'?: (number);
  /**
   * box
   */
  'shape'?: (number)[];
  /**
   * box, float32
   */
  'low'?: (_reverie_v1_Tensor | null);
  /**
   * box, float32
   */
  'high'?: (_reverie_v1_Tensor | null);
}

/**
 * A space, as Gymnasium describes it.
 */
export interface Space__Output {
  /**
   * "discrete" or "box"
   */
  'kind': (string);
  /**
   * discrete
   */
  'n': (number);
  /**
   * box
   */
  'shape': (number)[];
  /**
   * box, float32
   */
  'low': (_reverie_v1_Tensor__Output | null);
  /**
   * box, float32
   */
  'high': (_reverie_v1_Tensor__Output | null);
}
