import { npRandom } from '@reverie/core';

/**
 * A small tanh MLP (obs → 64 → 64 → actions) with seeded random weights and a greedy batched
 * forward: the stand-in policy both benchmark sides run, so they do the same inference work.
 */
export class MlpPolicy {
  readonly version = 0;
  private readonly layers: { w: Float32Array; b: Float32Array; inSize: number; outSize: number }[];
  private readonly h1: Float32Array;
  private readonly h2: Float32Array;
  private readonly logits: Float32Array;

  constructor(readonly obsSize: number, readonly numActions: number, hidden = 64, seed = 0) {
    const rng = npRandom(seed).rng;
    const layer = (inSize: number, outSize: number) => {
      const scale = 1 / Math.sqrt(inSize);
      const w = Float32Array.from({ length: inSize * outSize }, () => rng.uniform(-scale, scale));
      return { w, b: new Float32Array(outSize), inSize, outSize };
    };
    this.layers = [layer(obsSize, hidden), layer(hidden, hidden), layer(hidden, numActions)];
    this.h1 = new Float32Array(hidden);
    this.h2 = new Float32Array(hidden);
    this.logits = new Float32Array(numActions);
  }

  act(observations: Float32Array, batch: number, actionsOut: Int32Array | Float32Array): void {
    const [l1, l2, l3] = this.layers;
    const { h1, h2, logits } = this;
    for (let r = 0; r < batch; r++) {
      dense(l1.w, l1.b, observations, r * l1.inSize, l1.inSize, h1, true);
      dense(l2.w, l2.b, h1, 0, l2.inSize, h2, true);
      dense(l3.w, l3.b, h2, 0, l3.inSize, logits, false);
      let best = 0;
      for (let a = 1; a < logits.length; a++) if (logits[a] > logits[best]) best = a;
      actionsOut[r] = best;
    }
  }
}

function dense(w: Float32Array, b: Float32Array, x: Float32Array, offset: number, inSize: number, out: Float32Array, tanh: boolean): void {
  for (let j = 0; j < out.length; j++) {
    let sum = b[j];
    const row = j * inSize;
    for (let k = 0; k < inSize; k++) sum += w[row + k] * x[offset + k];
    out[j] = tanh ? Math.tanh(sum) : sum;
  }
}
