/**
 * Deterministic MLP world model f(s, a) → (Δs, r, termination logit): concat(state, action) →
 * hidden ReLU layers → one linear layer holding the three heads. It predicts the state delta in
 * normalised units, which is far easier to learn than the next state itself.
 */
import { tf } from '@reverie/nn';
import { type HeadOutputs, WorldModelBase, type WorldModelOptions, type WorldModelPrediction } from './base.js';

export class DeterministicWorldModel extends WorldModelBase {
  readonly kind = 'deterministic' as const;

  constructor(options: WorldModelOptions) {
    // Outputs: stateSize delta + 1 reward + 1 termination logit.
    super(options, 1, (s) => s + 2);
  }

  heads(x: tf.Tensor3D): HeadOutputs {
    const out = this.net.forward(x);
    const d = this.stateSize + 1;
    return { mean: tf.slice(out, [0, 0, 0], [-1, -1, d]), logvar: null, logit: tf.slice(out, [0, 0, d], [-1, -1, 1]) };
  }

  protected objective(_h: HeadOutputs, _y: tf.Tensor3D, sq: tf.Tensor3D, term: tf.Tensor1D): tf.Scalar {
    const s = this.stateSize;
    const state = tf.mean(tf.slice(sq, [0, 0, 0], [-1, -1, s]));
    const reward = tf.mean(tf.slice(sq, [0, 0, s], [-1, -1, 1]));
    return tf.addN([state, reward, tf.sum(term)]) as tf.Scalar;
  }

  trainableVariables(): tf.Variable[] {
    return this.net.variables();
  }

  namedVariables(): Record<string, tf.Variable> {
    return this.net.named();
  }

  /**
   * Next states, rewards and termination probabilities for a batch of raw states
   * ([batch × stateSize]) and actions ([batch] indices for Discrete, [batch × size] for Box).
   */
  predict(states: ArrayLike<number>, actions: ArrayLike<number>, batch: number): WorldModelPrediction {
    const x = this.encode(states, actions, batch);
    const d = this.stateSize + 1;
    const raw = tf.tidy(() => {
      const h = this.heads(tf.tensor3d(x, [1, batch, this.inputSize]));
      return tf.concat([h.mean, tf.sigmoid(h.logit)], 2).dataSync() as Float32Array;
    });
    const out: WorldModelPrediction = {
      nextStates: new Float32Array(batch * this.stateSize),
      rewards: new Float32Array(batch),
      terminatedProb: new Float32Array(batch),
    };
    const means = new Float32Array(batch * d);
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < d; k++) means[b * d + k] = raw[b * (d + 1) + k];
      out.terminatedProb[b] = raw[b * (d + 1) + d];
    }
    this.decodeMeans(states, means, batch, out);
    return out;
  }
}
