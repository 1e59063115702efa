import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, npRandom } from '@reverie/core';
import { initBackend } from '@reverie/nn';
import { decodePolicy } from '@reverie/policy';
import { QNetwork, qNetworkPolicyWeights } from '@reverie/agents';

const ARCHITECTURES = [
  [4, 64, 64, 2],
  [3, 5],
  [8, 32, 16, 4],
];

function randomStates(batch: number, size: number, seed: number): Float32Array {
  const { rng } = npRandom(seed);
  return Float32Array.from({ length: batch * size }, () => rng.uniform(-3, 3));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Biases are zero at construction; give them values so the test covers them. */
function withRandomBiases(net: QNetwork, seed: number): QNetwork {
  const { rng } = npRandom(seed);
  for (const b of net.biases) b.assign(b.add(Array.from({ length: b.shape[0] }, () => rng.uniform(-0.5, 0.5))));
  return net;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`qNetworkPolicyWeights (tfjs ${backend} backend)`, () => {
    beforeAll(async () => {
      await initBackend({ backend });
    });

    for (const sizes of ARCHITECTURES) {
      it(`decodes to a policy whose Q-values equal QNetwork.qValues for [${sizes.join(', ')}]`, () => {
        const net = withRandomBiases(new QNetwork(sizes, npRandom(sizes.length).rng), 9);
        try {
          const policy = decodePolicy(qNetworkPolicyWeights(net));
          expect([policy.obsSize, policy.numActions]).toEqual([sizes[0], sizes[sizes.length - 1]]);
          for (const batch of [1, 257]) {
            const states = randomStates(batch, sizes[0], batch);
            const q = new Float32Array(batch * policy.numActions);
            policy.qValues(states, batch, q);
            expect(maxAbsDiff(q, net.qValues(states, batch))).toBeLessThan(1e-5);
          }
        } finally {
          net.dispose();
        }
      });
    }
  });
}

describe('qNetworkPolicyWeights file', () => {
  it('is an mlp-q file with the network layout and the given annotations', async () => {
    await initBackend({ backend: 'cpu' });
    const net = new QNetwork([4, 16, 2], npRandom(0).rng);
    const file = decodeSafetensors(qNetworkPolicyWeights(net, { 'reverie.version': '3' }));
    expect(file.metadata).toMatchObject({ 'reverie.kind': 'mlp-q', 'reverie.obs_shape': '4', 'reverie.hidden': '16', 'reverie.num_actions': '2', 'reverie.activation': 'relu', 'reverie.version': '3' });
    expect(Object.fromEntries(Object.entries(file.tensors).map(([k, t]) => [k, t.shape]))).toEqual({
      'l0.weight': [4, 16],
      'l0.bias': [16],
      'l1.weight': [16, 2],
      'l1.bias': [2],
    });
    expect(Array.from(file.tensors['l0.weight'].data as Float32Array)).toEqual(Array.from(net.weights[0].dataSync()));
    net.dispose();
  });
});
