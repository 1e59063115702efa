/** Epsilon-greedy exploration over any policy, for actors. */
import type { NumpyGenerator } from '@reverie/core';
import { PolicyInputError } from './errors.js';
import type { Policy } from './policy.js';

/**
 * Greedy actions, each row replaced with probability `epsilon` by a uniform action. Per row it draws
 * `rng.random()` and, when exploring, `rng.integers(0, numActions)`; epsilon = 0 draws nothing, so a
 * seed gives the same stream whatever the batch split.
 */
export function epsilonGreedy(policy: Policy, obs: Float32Array, batch: number, actions: Int32Array, epsilon: number, rng: NumpyGenerator): void {
  if (typeof epsilon !== 'number' || !(epsilon >= 0 && epsilon <= 1)) {
    throw new PolicyInputError(`epsilon must be in [0, 1], got ${String(epsilon)}`);
  }
  policy.act(obs, batch, actions);
  if (epsilon === 0) return;
  const n = policy.numActions;
  for (let i = 0; i < batch; i++) {
    if (rng.random() < epsilon) actions[i] = rng.integers(0, n);
  }
}
