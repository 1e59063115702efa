// Original file: ../../protos/reverie/v1/learner.proto

import type { Long } from '@grpc/proto-loader';

export interface LearnerStatus {
  'algo'?: (string);
  'envId'?: (string);
  'updates'?: (number | string | Long);
  /**
   * env steps received (duplicates excluded)
   */
  'envSteps'?: (number | string | Long);
  'replaySize'?: (number | string | Long);
  /**
   * newest weight version published, 0 before the first
   */
  'publishedVersion'?: (number | string | Long);
  /**
   * tfjs backend the learner trains on
   */
  'backend'?: (string);
}

export interface LearnerStatus__Output {
  'algo': (string);
  'envId': (string);
  'updates': (number);
  /**
   * env steps received (duplicates excluded)
   */
  'envSteps': (number);
  'replaySize': (number);
  /**
   * newest weight version published, 0 before the first
   */
  'publishedVersion': (number);
  /**
   * tfjs backend the learner trains on
   */
  'backend': (string);
}
