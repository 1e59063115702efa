/**
 * A plain MLP Q-network on tfjs: state → one Q-value per discrete action, ReLU hidden layers.
 * Weights come from the seeded NumPy-compatible generator (Glorot-uniform kernels, zero biases), so
 * a seed gives the same network on every backend.
 */
import type { NumpyGenerator } from '@reverie/core';
import { linear, tf } from '@reverie/nn';

export class QNetwork {
  /** Layer widths: [stateSize, hidden..., numActions]. */
  readonly sizes: readonly number[];
  readonly weights: tf.Variable<tf.Rank.R2>[] = [];
  readonly biases: tf.Variable<tf.Rank.R1>[] = [];

  constructor(sizes: readonly number[], rng: NumpyGenerator, trainable = true) {
    if (sizes.length < 2 || !sizes.every((n) => Number.isSafeInteger(n) && n > 0)) {
      throw new Error(`QNetwork: layer sizes must be positive integers, got [${sizes.join(', ')}]`);
    }
    this.sizes = [...sizes];
    // Inside tidy so the initial-value tensors are freed (variables survive a tidy).
    tf.tidy(() => {
      for (let l = 0; l + 1 < sizes.length; l++) {
        const limit = Math.sqrt(6 / (sizes[l] + sizes[l + 1]));
        const w = new Float32Array(sizes[l] * sizes[l + 1]);
        for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
        this.weights.push(tf.variable(tf.tensor2d(w, [sizes[l], sizes[l + 1]]), trainable));
        this.biases.push(tf.variable(tf.zeros([sizes[l + 1]]), trainable));
      }
    });
  }

  get stateSize(): number {
    return this.sizes[0];
  }

  get numActions(): number {
    return this.sizes[this.sizes.length - 1];
  }

  /** x: [batch, stateSize] → Q: [batch, numActions]. */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    const last = this.weights.length - 1;
    for (let l = 0; l <= last; l++) {
      const z = linear(h, this.weights[l], this.biases[l]);
      h = l < last ? tf.relu(z) : z;
    }
    return h;
  }

  /** Q-values for `batch` raw states (row-major), read back to the CPU. */
  qValues(states: Float32Array, batch: number): Float32Array {
    return tf.tidy(() => this.forward(tf.tensor2d(states, [batch, this.stateSize])).dataSync() as Float32Array);
  }

  variables(): tf.Variable[] {
    return [...this.weights, ...this.biases];
  }

  /** Hard copy (tau = 1) or Polyak average θ ← tau·θ_src + (1 − tau)·θ of another network's weights. */
  updateFrom(src: QNetwork, tau = 1): void {
    const mine = this.variables();
    const theirs = src.variables();
    if (mine.length !== theirs.length) throw new Error('QNetwork.updateFrom: the networks differ in shape');
    tf.tidy(() => {
      for (let i = 0; i < mine.length; i++) {
        mine[i].assign(tau === 1 ? theirs[i] : tf.add(tf.mul(theirs[i], tau), tf.mul(mine[i], 1 - tau)));
      }
    });
  }

  named(prefix: string): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    this.weights.forEach((w, l) => (out[`${prefix}.l${l}.weight`] = w));
    this.biases.forEach((b, l) => (out[`${prefix}.l${l}.bias`] = b));
    return out;
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}
