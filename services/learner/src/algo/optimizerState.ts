/**
 * A tfjs optimiser's state (iteration count and per-variable moments) as a safetensors file. tfjs
 * matches moments to variables by position, so they are saved in order (`w0000`, `w0001`, ...) with
 * their tfjs names kept in the metadata for inspection.
 */
import { decodeSafetensors, encodeSafetensors, tf, type SafeTensor } from '@reverie/nn';

export async function saveOptimizer(optimizer: tf.Optimizer): Promise<Uint8Array> {
  const weights = await optimizer.getWeights();
  const tensors: Record<string, SafeTensor> = {};
  const names: string[] = [];
  weights.forEach((w, i) => {
    const key = `w${String(i).padStart(4, '0')}`;
    const data = w.tensor.dataSync();
    tensors[key] = w.tensor.dtype === 'int32'
      ? { dtype: 'I32', shape: [...w.tensor.shape], data: Int32Array.from(data) }
      : { dtype: 'F32', shape: [...w.tensor.shape], data: Float32Array.from(data) };
    names.push(w.name);
  });
  // Moments are the optimiser's own variables; only the iteration scalar is a fresh tensor.
  for (const w of weights) if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
  return encodeSafetensors(tensors, { names: JSON.stringify(names) });
}

export async function restoreOptimizer(optimizer: tf.Optimizer, bytes: Uint8Array): Promise<void> {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const names = JSON.parse(metadata.names ?? '[]') as string[];
  const keys = Object.keys(tensors).sort();
  if (keys.length !== names.length) throw new Error(`optimizer checkpoint: ${keys.length} tensors but ${names.length} names`);
  const weights = keys.map((key, i) => {
    const t = tensors[key];
    if (t.dtype !== 'F32' && t.dtype !== 'I32') throw new Error(`optimizer checkpoint: '${key}' has dtype ${t.dtype}`);
    const data = t.data as Float32Array | Int32Array;
    return { name: names[i], tensor: tf.tensor(data, t.shape, t.dtype === 'I32' ? 'int32' : 'float32') };
  });
  await optimizer.setWeights(weights); // copies into new variables
  for (const w of weights) w.tensor.dispose();
}
