import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, initBackend, loadInto, saveVariables, tf } from '@reverie/nn';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function mlp(inputs: number, hidden: number, seed: number): tf.Sequential {
  const init = tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [inputs], units: hidden, activation: 'relu', kernelInitializer: init }),
      tf.layers.dense({ units: 2, kernelInitializer: init }),
    ],
  });
}

describe('saveVariables / loadInto', () => {
  it('round-trips named variables with metadata', () => {
    const a = { w: tf.variable(tf.tensor2d([[1, 2], [3, 4]])), b: tf.variable(tf.tensor1d([5, 6])), n: tf.variable(tf.scalar(3, 'int32')) };
    const bytes = saveVariables(a, { arch: 'toy' });
    const b = { w: tf.variable(tf.zeros([2, 2])), b: tf.variable(tf.zeros([2])), n: tf.variable(tf.scalar(0, 'int32')) };
    expect(loadInto(b, bytes)).toEqual({ arch: 'toy' });
    expect(b.w.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(b.b.arraySync()).toEqual([5, 6]);
    expect(b.n.arraySync()).toBe(3);
    expect(decodeSafetensors(bytes).tensors.n.dtype).toBe('I32');
  });

  it('round-trips a layers model by architecture-stable names', () => {
    const src = mlp(3, 8, 1);
    const dst = mlp(3, 8, 2); // built later, so tfjs gave its layers other auto-names
    const bytes = saveVariables(src);
    expect(Object.keys(decodeSafetensors(bytes).tensors).sort()).toEqual(['layers.0.bias', 'layers.0.kernel', 'layers.1.bias', 'layers.1.kernel']);
    loadInto(dst, bytes);
    const x = tf.tensor2d([[0.1, -0.2, 0.3]]);
    expect((dst.predict(x) as tf.Tensor).arraySync()).toEqual((src.predict(x) as tf.Tensor).arraySync());
  });

  it('refuses a file for another architecture, naming the first mismatch, and writes nothing', () => {
    const bytes = saveVariables(mlp(3, 8, 1));
    const wider = mlp(3, 16, 3);
    const before = wider.getWeights().map((w) => w.arraySync());
    expect(() => loadInto(wider, bytes)).toThrow(/architecture: 'layers\.0\.kernel' has shape \[3, 8\] in the file but \[3, 16\] in the model/);
    expect(wider.getWeights().map((w) => w.arraySync())).toEqual(before);

    const vars = { w: tf.variable(tf.zeros([2])) };
    expect(() => loadInto(vars, saveVariables({ v: tf.variable(tf.zeros([2])) }))).toThrow(/the model's 'w' is missing from the file/);
    expect(() => loadInto(vars, saveVariables({ w: tf.variable(tf.zeros([2])), extra: tf.variable(tf.zeros([1])) }))).toThrow(/the file has 'extra', which the model does not/);
    expect(() => loadInto(vars, saveVariables({ w: tf.variable(tf.zeros([2], 'int32')) }))).toThrow(/'w' has dtype I32 in the file but float32/);
  });

  it('leaks no tensors', () => {
    const vars = { w: tf.variable(tf.randomNormal([4, 4])) };
    const bytes = saveVariables(vars);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) loadInto(vars, saveVariables(vars));
    loadInto(vars, bytes);
    expect(tf.memory().numTensors).toBe(before);
  });
});
