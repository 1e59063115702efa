import { npRandom, type NumpyGenerator } from '@reverie/core';
import { RolloutError } from './rolloutError.js';

/**
 * Epsilon-greedy exploration over a batch of discrete actions: each env's action is replaced by a
 * uniform random one with probability `epsilon`. Seeded, so a run can be repeated.
 * (Stand-in until @reverie/policy exports its own.)
 */
export class EpsilonGreedy {
  private readonly rng: NumpyGenerator;
  private eps = 0;

  constructor(readonly numActions: number, epsilon: number, seed: number) {
    if (!Number.isInteger(numActions) || numActions <= 0) throw new RolloutError(`epsilon-greedy needs a positive number of actions, got ${numActions}`);
    this.epsilon = epsilon;
    this.rng = npRandom(seed).rng;
  }

  get epsilon(): number {
    return this.eps;
  }

  set epsilon(value: number) {
    if (!(value >= 0 && value <= 1)) throw new RolloutError(`epsilon must be in [0, 1], got ${value}`);
    this.eps = value;
  }

  /** Replaces the greedy actions in place. */
  apply(actions: Int32Array | Float32Array): void {
    const { rng, eps, numActions } = this;
    if (eps === 0) return;
    for (let i = 0; i < actions.length; i++) {
      if (rng.random() < eps) actions[i] = Math.floor(rng.random() * numActions);
    }
  }
}
