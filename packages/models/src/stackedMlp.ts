/**
 * E independent MLPs whose weights are stacked along a leading member axis, so one batched
 * `tf.matMul` of [E, batch, in] × [E, in, out] runs every member at once (an ensemble of 1 is a
 * plain MLP). Initial weights come from the seeded NumPy-compatible generator, so a seed gives the
 * same network on every backend.
 */
import type { NumpyGenerator } from '@reverie/core';
import { tf } from '@reverie/nn';

export class StackedMlp {
  readonly members: number;
  /** Layer widths: [in, hidden..., out]. */
  readonly sizes: readonly number[];
  readonly weights: tf.Variable<tf.Rank.R3>[] = [];
  readonly biases: tf.Variable<tf.Rank.R3>[] = [];

  constructor(members: number, sizes: readonly number[], rng: NumpyGenerator) {
    this.members = members;
    this.sizes = [...sizes];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const fanIn = sizes[l];
      const fanOut = sizes[l + 1];
      // Glorot-uniform kernels, zero biases (the Keras Dense default).
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const w = new Float32Array(members * fanIn * fanOut);
      for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
      this.weights.push(tf.variable(tf.tensor3d(w, [members, fanIn, fanOut])));
      this.biases.push(tf.variable(tf.zeros([members, 1, fanOut])));
    }
  }

  /** x: [E or 1, batch, in] → [E, batch, out]; ReLU between layers, linear output. */
  forward(x: tf.Tensor3D): tf.Tensor3D {
    let h: tf.Tensor3D = x;
    const last = this.weights.length - 1;
    for (let l = 0; l <= last; l++) {
      const z = tf.add(tf.matMul(h, this.weights[l]), this.biases[l]) as tf.Tensor3D;
      h = l < last ? tf.relu(z) : z;
    }
    return h;
  }

  /** Variables by stable names, for safetensors files. */
  named(prefix: string): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    this.weights.forEach((w, l) => {
      out[`${prefix}.layers.${l}.weight`] = w;
      out[`${prefix}.layers.${l}.bias`] = this.biases[l];
    });
    return out;
  }

  variables(): tf.Variable[] {
    return [...this.weights, ...this.biases];
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}
