/**
 * Model weights to and from safetensors bytes. Loading checks the whole file against the model's
 * architecture before writing anything, so a wrong file never leaves a model half-overwritten.
 */
import * as tf from './tf.js';
import { decodeSafetensors, encodeSafetensors, type SafeDtype, type SafeTensor } from '@reverie/core';

/** Named variables, or a layers model whose weights are named `layers.<index>.<weight>` (e.g. `layers.0.kernel`). */
export type WeightContainer = Readonly<Record<string, tf.Variable>> | tf.LayersModel;

interface Slot {
  shape: number[];
  dtype: tf.DataType;
  read(): tf.Tensor;
  write(t: tf.Tensor): void;
}

const TO_SAFE: Partial<Record<tf.DataType, SafeDtype>> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };

/**
 * Names that do not depend on tfjs's global layer counter, so two models built from the same code
 * share names (`dense_Dense3/kernel` would not survive a process restart).
 */
function slotsOf(container: WeightContainer): Map<string, Slot> {
  const slots = new Map<string, Slot>();
  if (container instanceof tf.LayersModel) {
    container.layers.forEach((layer, i) => {
      for (const w of layer.weights) {
        const short = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
        const name = `layers.${i}.${short}`;
        if (slots.has(name)) throw new Error(`weights: two weights of layer ${i} are both called '${short}'`);
        slots.set(name, { shape: w.shape.map((d) => d ?? -1), dtype: w.dtype, read: () => w.read(), write: (t) => w.write(t) });
      }
    });
    return slots;
  }
  for (const [name, v] of Object.entries(container)) {
    slots.set(name, { shape: v.shape, dtype: v.dtype, read: () => v, write: (t) => v.assign(t) });
  }
  return slots;
}

/** Serialises every weight (float32, int32 or bool) with optional string metadata. */
export function saveVariables(container: WeightContainer, metadata?: Record<string, string>): Uint8Array {
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, slot] of slotsOf(container)) {
    const dtype = TO_SAFE[slot.dtype];
    if (dtype === undefined) throw new Error(`weights: '${name}' has dtype ${slot.dtype}, which cannot be saved`);
    const values = slot.read().dataSync();
    const data = dtype === 'F32' ? Float32Array.from(values) : dtype === 'I32' ? Int32Array.from(values) : Uint8Array.from(values);
    tensors[name] = { dtype, shape: [...slot.shape], data };
  }
  return encodeSafetensors(tensors, metadata);
}

/**
 * Writes a safetensors file into the model's weights and returns the file's metadata. Refuses, naming
 * the first mismatch, a file whose names, shapes or dtypes differ from the model's.
 */
export function loadInto(container: WeightContainer, bytes: Uint8Array): Record<string, string> {
  const file = decodeSafetensors(bytes);
  const slots = slotsOf(container);
  const mismatch = firstMismatch(slots, file.tensors);
  if (mismatch !== null) throw new Error(`weights file does not match the model's architecture: ${mismatch}`);
  for (const [name, slot] of slots) {
    const t = file.tensors[name];
    const data = t.dtype === 'BOOL' ? Int32Array.from(t.data as Uint8Array) : (t.data as Float32Array | Int32Array);
    tf.tidy(() => slot.write(tf.tensor(data, slot.shape, slot.dtype)));
  }
  return file.metadata;
}

function firstMismatch(slots: Map<string, Slot>, tensors: Record<string, SafeTensor>): string | null {
  for (const [name, slot] of slots) {
    const t = Object.prototype.hasOwnProperty.call(tensors, name) ? tensors[name] : undefined;
    if (t === undefined) return `the model's '${name}' is missing from the file`;
    if (!sameShape(t.shape, slot.shape)) {
      return `'${name}' has shape [${t.shape.join(', ')}] in the file but [${slot.shape.join(', ')}] in the model`;
    }
    if (TO_SAFE[slot.dtype] !== t.dtype) return `'${name}' has dtype ${t.dtype} in the file but ${slot.dtype} in the model`;
  }
  for (const name of Object.keys(tensors)) {
    if (!slots.has(name)) return `the file has '${name}', which the model does not`;
  }
  return null;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
