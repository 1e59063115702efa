/**
 * Policy files: safetensors with the spec in `__metadata__` and F32 tensors named as `expectedTensors`
 * says. Reading validates everything a forward pass relies on, so a policy that decodes can act.
 */
import { decodeSafetensors, encodeSafetensors, type SafeTensor, type SafetensorsFile } from '@reverie/core';
import { describeValue, PolicyFormatError } from './errors.js';
import { MlpQPolicy } from './mlp.js';
import type { Policy } from './policy.js';
import { expectedTensors, specFromMetadata, specToMetadata, validateSpec, type PolicySpec } from './spec.js';
import { QTablePolicy } from './table.js';

/** Serialises a policy: tensors are flat row-major Float32Arrays named and shaped as the spec implies. */
export function encodePolicyWeights(spec: PolicySpec, tensors: Readonly<Record<string, Float32Array>>): Uint8Array {
  validateSpec(spec);
  checkTensors(spec, tensors);
  const file: Record<string, SafeTensor> = {};
  for (const [name, shape] of expectedTensors(spec)) file[name] = { dtype: 'F32', shape, data: tensors[name] };
  return encodeSafetensors(file, specToMetadata(spec));
}

/** Parses and validates a policy file and returns a ready policy. Every problem is a PolicyFormatError. */
export function decodePolicy(bytes: Uint8Array): Policy {
  if (!(bytes instanceof Uint8Array)) throw new PolicyFormatError(`policy bytes must be a Uint8Array, got ${describeValue(bytes)}`);
  let file: SafetensorsFile;
  try {
    file = decodeSafetensors(bytes);
  } catch (err) {
    throw new PolicyFormatError(`not a readable policy file: ${err instanceof Error ? err.message : String(err)}`);
  }
  const spec = specFromMetadata(file.metadata);
  const expected = new Map(expectedTensors(spec));
  const tensors: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(file.tensors)) {
    if (t.dtype !== 'F32') throw new PolicyFormatError(`${name} has dtype ${t.dtype}, expected F32`);
    const want = expected.get(name);
    if (want !== undefined && !sameShape(t.shape, want)) {
      throw new PolicyFormatError(`${name} has shape ${fmtShape(t.shape)}, expected ${fmtShape(want)}`);
    }
    tensors[name] = t.data as Float32Array; // F32 data is a Float32Array
  }
  // Missing, extra and non-finite tensors are found by the same checks as for in-memory weights.
  return buildPolicy(spec, tensors, false);
}

/** A policy straight from in-memory weights (copied, so later changes to the arrays do not leak in). */
export function createPolicy(spec: PolicySpec, tensors: Readonly<Record<string, Float32Array>>): Policy {
  validateSpec(spec);
  return buildPolicy(spec, tensors, true);
}

function buildPolicy(spec: PolicySpec, tensors: Readonly<Record<string, Float32Array>>, copy: boolean): Policy {
  checkTensors(spec, tensors);
  const get = (name: string): Float32Array => (copy ? Float32Array.from(tensors[name]) : tensors[name]);
  if (spec.kind === 'q-table') return new QTablePolicy(spec, get('q'));
  const layers = spec.hidden.length + 1;
  const weights = Array.from({ length: layers }, (_, l) => get(`l${l}.weight`));
  const biases = Array.from({ length: layers }, (_, l) => get(`l${l}.bias`));
  return new MlpQPolicy(spec, weights, biases);
}

/** Every expected tensor present as a Float32Array of the implied size with finite values; nothing extra. */
function checkTensors(spec: PolicySpec, tensors: Readonly<Record<string, Float32Array>>): void {
  const expected = expectedTensors(spec);
  const names = new Set(expected.map(([n]) => n));
  for (const name of Object.keys(tensors)) {
    if (!names.has(name)) throw new PolicyFormatError(`unexpected tensor '${name}' for a ${spec.kind} policy (expected ${[...names].join(', ')})`);
  }
  for (const [name, shape] of expected) {
    const data = tensors[name];
    if (data === undefined) throw new PolicyFormatError(`missing tensor '${name}' (shape ${fmtShape(shape)})`);
    if (!(data instanceof Float32Array)) throw new PolicyFormatError(`${name} must be a Float32Array, got ${describeValue(data)}`);
    const numel = shape.reduce((a, b) => a * b, 1);
    if (data.length !== numel) throw new PolicyFormatError(`${name} has ${data.length} values, expected ${numel} for shape ${fmtShape(shape)}`);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) throw new PolicyFormatError(`${name} has a non-finite value ${data[i]} at flat index ${i}`);
    }
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
