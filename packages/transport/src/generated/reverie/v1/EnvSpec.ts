// Original file: ../../protos/reverie/v1/env.proto

import type { Space as _reverie_v1_Space, Space__Output as _reverie_v1_Space__Output } from '../../reverie/v1/Space.js';

export interface EnvSpec {
  'envId'?: (string);
  'observationSpace'?: (_reverie_v1_Space | null);
  'actionSpace'?: (_reverie_v1_Space | null);
  /**
   * 0: none
   */
  'maxEpisodeSteps'?: (number);
}

export interface EnvSpec__Output {
  'envId': (string);
  'observationSpace': (_reverie_v1_Space__Output | null);
  'actionSpace': (_reverie_v1_Space__Output | null);
  /**
   * 0: none
   */
  'maxEpisodeSteps': (number);
}
