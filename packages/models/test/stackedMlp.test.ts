import { beforeAll, describe, expect, it } from 'vitest';
import { npRandom } from '@reverie/core';
import { tf } from '@reverie/nn';
// The package's own test reaches its internal module: both forward modes must agree.
import { StackedMlp } from '../src/stackedMlp.js';
import { testBackend } from './helpers.js';

beforeAll(testBackend);

describe('StackedMlp forward modes', () => {
  it('batched (native backends) and per-member (wasm/cpu) give the same outputs and gradients', () => {
    const net = new StackedMlp(3, [5, 16, 16, 4], npRandom(1).rng);
    const x = tf.randomNormal([3, 8, 5], 0, 1, 'float32', 2) as tf.Tensor3D;
    const shared = tf.randomNormal([1, 8, 5], 0, 1, 'float32', 3) as tf.Tensor3D;
    for (const input of [x, shared]) {
      const a = net.forward(input, 'batched');
      const b = net.forward(input, 'perMember');
      expect(a.shape).toEqual([3, 8, 4]);
      expect(tf.max(tf.abs(tf.sub(a, b))).arraySync()).toBeLessThan(1e-5);
    }
    const loss = (mode: 'batched' | 'perMember') => () => tf.sum(tf.square(net.forward(x, mode))) as tf.Scalar;
    const ga = tf.variableGrads(loss('batched'), net.variables()).grads;
    const gb = tf.variableGrads(loss('perMember'), net.variables()).grads;
    for (const v of net.variables()) {
      const scale = tf.max(tf.abs(ga[v.name])).arraySync() as number;
      expect(tf.max(tf.abs(tf.sub(ga[v.name], gb[v.name]))).arraySync()).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
    }
    expect(() => net.forward(tf.zeros([2, 8, 5]) as tf.Tensor3D, 'perMember')).toThrow(/2 member rows; expected 1 or 3/);
  });
});
