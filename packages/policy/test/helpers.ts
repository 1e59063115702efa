import { npRandom } from '@reverie/core';
import { expectedTensors, type MlpQSpec, type PolicySpec } from '@reverie/policy';

/** Seeded uniform(-scale, scale) values for every tensor the spec needs. */
export function randomTensors(spec: PolicySpec, seed: number, scale = 0.5): Record<string, Float32Array> {
  const { rng } = npRandom(seed);
  const out: Record<string, Float32Array> = {};
  for (const [name, shape] of expectedTensors(spec)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-scale, scale);
    out[name] = data;
  }
  return out;
}

export function randomObs(batch: number, size: number, seed: number, scale = 2): Float32Array {
  const { rng } = npRandom(seed);
  return Float32Array.from({ length: batch * size }, () => rng.uniform(-scale, scale));
}

/** The textbook forward pass in float64, dot products in j-k order: an independent reference. */
export function referenceQ(spec: MlpQSpec, tensors: Record<string, Float32Array>, obs: Float32Array, batch: number): Float64Array {
  const sizes = [spec.obsShape.reduce((a, b) => a * b, 1), ...spec.hidden, spec.numActions];
  const q = new Float64Array(batch * spec.numActions);
  for (let i = 0; i < batch; i++) {
    let h = Array.from(obs.subarray(i * sizes[0], (i + 1) * sizes[0]));
    for (let l = 0; l + 1 < sizes.length; l++) {
      const w = tensors[`l${l}.weight`];
      const b = tensors[`l${l}.bias`];
      const next: number[] = [];
      for (let j = 0; j < sizes[l + 1]; j++) {
        let z = b[j];
        for (let k = 0; k < sizes[l]; k++) z += h[k] * w[k * sizes[l + 1] + j];
        const hidden = l + 2 < sizes.length;
        next.push(!hidden ? z : spec.activation === 'relu' ? Math.max(0, z) : Math.tanh(z));
      }
      h = next;
    }
    q.set(h, i * spec.numActions);
  }
  return q;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
