import * as tf from './tf.js';

/**
 * y = x·W + b whose gradient uses only untransposed-operand products: on wasm/cpu a matMul with a
 * transposed operand leaves the fast kernel.
 */
export const linear = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor2D;
      const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(g, tf.transpose(sw)), tf.matMul(tf.transpose(sx), g), tf.sum(g, 0)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
