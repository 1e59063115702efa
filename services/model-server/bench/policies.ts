/** Policy files for the benchmarks: mlp-q networks with seeded pseudo-random weights. */
import { encodePolicyWeights, expectedTensors, type MlpQSpec } from '@reverie/policy';

export function randomMlpPolicy(obsSize: number, hidden: number[], numActions: number, seed = 1): Uint8Array {
  const spec: MlpQSpec = { kind: 'mlp-q', obsShape: [obsSize], numActions, hidden, activation: 'relu' };
  let s = seed >>> 0;
  const tensors: Record<string, Float32Array> = {};
  for (const [name, shape] of expectedTensors(spec)) {
    const t = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < t.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      t[i] = (s / 2 ** 32 - 0.5) * 0.2;
    }
    tensors[name] = t;
  }
  return encodePolicyWeights(spec, tensors);
}

/** A policy file of about `bytes` bytes: two hidden layers of width sqrt(bytes / 4). */
export function policyOfSize(bytes: number, seed = 1): Uint8Array {
  const width = Math.max(1, Math.round(Math.sqrt(bytes / 4)));
  return randomMlpPolicy(4, [width, width], 2, seed);
}
