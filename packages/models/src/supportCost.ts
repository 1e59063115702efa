/**
 * A planning cost that keeps plans where the model was fitted. A model trained on random-policy CartPole data
 * has seen the cart within a few tenths of the centre; MPC that only cares about the pole lets the cart drift
 * far outside that range, where the model's predictions (and its termination head) are guesses. Costing every
 * predicted state by how far it lies outside the training data is a cheap, deterministic-model counterpart to
 * an ensemble disagreement penalty: both use only what the model learned, nothing of the true env.
 */
import type { ValueFn } from '@reverie/planning';
import type { WorldModelBase } from './base.js';

export interface SupportCostOptions {
  /** The most a state can cost (> 0); keep it below the reward of staying alive, or ending an episode pays. */
  weight: number;
  /** Standard deviations from the training mean that cost nothing (default 2). */
  margin?: number;
}

/**
 * c(s) = weight · (1 − exp(−e)), e = Σ_k max(0, |s_k − mean_k| / std_k − margin), with the mean and std of the
 * model's input normaliser (fitted on its training split): 0 inside the data, rising steeply at its edge, and
 * bounded by `weight`, because with soft termination an unbounded cost would make ending the episode the
 * cheapest plan (measured on CartPole: the pole was dropped at x = 0.5). Reads the normaliser when called, so it
 * follows retraining.
 */
export function dataSupportCost(model: WorldModelBase, options: SupportCostOptions): ValueFn {
  const { weight, margin = 2 } = options;
  if (!(Number.isFinite(weight) && weight > 0)) throw new Error(`dataSupportCost: weight must be a positive number, got ${weight}`);
  if (!(Number.isFinite(margin) && margin >= 0)) throw new Error(`dataSupportCost: margin must be a number >= 0, got ${margin}`);
  const S = model.stateSize;
  return (states, batch, out) => {
    const { mean, std } = model.inputStats;
    for (let r = 0; r < batch; r++) {
      let excess = 0;
      for (let k = 0; k < S; k++) {
        const z = Math.abs(states[r * S + k] - mean[k]) / std[k] - margin;
        if (z > 0) excess += z;
      }
      out[r] = weight * -Math.expm1(-excess);
    }
  };
}
