/**
 * Deterministic MLP world model f(s, a) → (Δs, r, termination logit): concat(state, action) →
 * hidden ReLU layers → one linear layer holding the three heads. It predicts the state delta in
 * normalised units, which is far easier to learn than the next state itself.
 */
import { tf } from '@reverie/nn';
import {
  type HeadOutputs,
  newPrediction,
  type PredictionBuffers,
  sigmoid,
  WorldModelBase,
  type WorldModelOptions,
  type WorldModelPrediction,
} from './base.js';

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
    return tf.addN([state, reward, tf.mul(tf.sum(term), this.terminationWeight)]) as tf.Scalar;
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
    const out = newPrediction(batch, this.stateSize);
    this.predictInto(states, actions, batch, out);
    return out;
  }

  /** `predict` into caller buffers; allocates nothing but the backend's one readback once warmed up. */
  predictInto(states: ArrayLike<number>, actions: ArrayLike<number>, batch: number, out: PredictionBuffers): void {
    const x = this.encodeScratch(states, actions, batch);
    const raw = this.net.inferBlocks(x, ONLY_MEMBER, this.blockOf(batch));
    // Row layout: [delta (stateSize), reward, termination logit].
    const width = this.stateSize + 2;
    for (let b = 0; b < batch; b++) {
      this.decodeRow(states, b, raw, b * width, out);
      out.terminatedProb[b] = sigmoid(raw[b * width + width - 1]);
    }
  }

  private blockOf(batch: number): Int32Array {
    const counts = this.scratch.i32('counts', 1);
    counts[0] = batch;
    return counts;
  }
}

const ONLY_MEMBER = Int32Array.of(0);
