import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from '@reverie/core';
import { createPolicy, decodePolicy, encodePolicyWeights, PolicyFormatError, type MlpQSpec } from '@reverie/policy';
import { randomObs, randomTensors } from './helpers.js';

const SPEC: MlpQSpec = { kind: 'mlp-q', obsShape: [4], numActions: 2, hidden: [64], activation: 'relu', metadata: { 'reverie.version': '7' } };

/** A valid file's tensors and metadata, to be altered one thing at a time. */
function validParts(): { tensors: Record<string, SafeTensor>; metadata: Record<string, string> } {
  const file = decodeSafetensors(encodePolicyWeights(SPEC, randomTensors(SPEC, 1)));
  return { tensors: file.tensors, metadata: file.metadata };
}

function expectFormatError(bytes: Uint8Array, message: string | RegExp): void {
  expect(() => decodePolicy(bytes)).toThrow(PolicyFormatError);
  expect(() => decodePolicy(bytes)).toThrow(message);
}

describe('policy file round trip', () => {
  it('keeps the spec, the annotations and the exact Q-values', () => {
    const tensors = randomTensors(SPEC, 2);
    const bytes = encodePolicyWeights(SPEC, tensors);
    const meta = decodeSafetensors(bytes).metadata;
    expect(meta).toEqual({
      'reverie.kind': 'mlp-q',
      'reverie.obs_shape': '4',
      'reverie.num_actions': '2',
      'reverie.hidden': '64',
      'reverie.activation': 'relu',
      'reverie.version': '7',
    });
    const policy = decodePolicy(bytes);
    expect(policy.spec).toEqual(SPEC);
    const obs = randomObs(9, 4, 3);
    const a = new Float32Array(18);
    const b = new Float32Array(18);
    policy.qValues(obs, 9, a);
    createPolicy(SPEC, tensors).qValues(obs, 9, b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('round-trips a q-table and a network without hidden layers', () => {
    const table = { kind: 'q-table', numStates: 5, numActions: 3 } as const;
    expect(decodePolicy(encodePolicyWeights(table, randomTensors(table, 4))).spec).toEqual({ ...table, metadata: {} });
    const linear: MlpQSpec = { kind: 'mlp-q', obsShape: [2, 2], numActions: 3, hidden: [], activation: 'tanh' };
    const meta = decodeSafetensors(encodePolicyWeights(linear, randomTensors(linear, 5))).metadata;
    expect(meta['reverie.hidden']).toBe('');
    expect(meta['reverie.obs_shape']).toBe('2,2');
    expect(decodePolicy(encodePolicyWeights(linear, randomTensors(linear, 5))).obsSize).toBe(4);
  });
});

describe('decodePolicy rejects', () => {
  it('an unknown kind', () => {
    const { tensors, metadata } = validParts();
    expectFormatError(encodeSafetensors(tensors, { ...metadata, 'reverie.kind': 'transformer' }), /unknown policy kind "transformer"/);
  });

  it('a file without policy metadata', () => {
    const { tensors } = validParts();
    expectFormatError(encodeSafetensors(tensors), "metadata has no 'reverie.kind'");
  });

  it('malformed numbers in the metadata', () => {
    const { tensors, metadata } = validParts();
    expectFormatError(encodeSafetensors(tensors, { ...metadata, 'reverie.num_actions': '2.5' }), /'reverie.num_actions' must be comma-separated positive integers, got "2.5"/);
    expectFormatError(encodeSafetensors(tensors, { ...metadata, 'reverie.activation': 'gelu' }), /unknown activation "gelu"/);
  });

  it('a missing tensor', () => {
    const { tensors, metadata } = validParts();
    delete tensors['l1.bias'];
    expectFormatError(encodeSafetensors(tensors, metadata), "missing tensor 'l1.bias' (shape [2])");
  });

  it('a tensor whose shape disagrees with the spec', () => {
    const { tensors, metadata } = validParts();
    tensors['l1.weight'] = { dtype: 'F32', shape: [64, 3], data: new Float32Array(192) };
    expectFormatError(encodeSafetensors(tensors, metadata), 'l1.weight has shape [64,3], expected [64,2]');
  });

  it('a tensor the spec does not name', () => {
    const { tensors, metadata } = validParts();
    tensors['l2.weight'] = { dtype: 'F32', shape: [2, 2], data: new Float32Array(4) };
    expectFormatError(encodeSafetensors(tensors, metadata), /unexpected tensor 'l2.weight'/);
  });

  it('a dtype other than F32', () => {
    const { tensors, metadata } = validParts();
    tensors['l0.bias'] = { dtype: 'F64', shape: [64], data: new Float64Array(64) };
    expectFormatError(encodeSafetensors(tensors, metadata), 'l0.bias has dtype F64, expected F32');
  });

  it('a NaN or infinite weight', () => {
    for (const bad of [NaN, Infinity]) {
      const { tensors, metadata } = validParts();
      (tensors['l0.weight'].data as Float32Array)[130] = bad;
      expectFormatError(encodeSafetensors(tensors, metadata), `l0.weight has a non-finite value ${bad} at flat index 130`);
    }
  });

  it('truncated or empty bytes', () => {
    const bytes = encodePolicyWeights(SPEC, randomTensors(SPEC, 1));
    for (const cut of [bytes.length - 4, 40, 5, 0]) expectFormatError(bytes.subarray(0, cut), /not a readable policy file/);
  });
});

describe('encodePolicyWeights rejects', () => {
  it('weights that do not fit the spec, naming the tensor', () => {
    const tensors = randomTensors(SPEC, 1);
    expect(() => encodePolicyWeights(SPEC, { ...tensors, 'l0.bias': new Float32Array(63) })).toThrow('l0.bias has 63 values, expected 64 for shape [64]');
    const nan = { ...tensors, 'l1.bias': Float32Array.of(0, NaN) };
    expect(() => encodePolicyWeights(SPEC, nan)).toThrow(PolicyFormatError);
    expect(() => encodePolicyWeights(SPEC, nan)).toThrow('l1.bias has a non-finite value NaN at flat index 1');
  });

  it('a bad spec', () => {
    const tensors = randomTensors(SPEC, 1);
    expect(() => encodePolicyWeights({ ...SPEC, hidden: [0] }, tensors)).toThrow('hidden[0] must be a positive integer, got 0');
    expect(() => encodePolicyWeights({ ...SPEC, metadata: { 'reverie.kind': 'x' } }, tensors)).toThrow(/reserved/);
    expect(() => encodePolicyWeights({ kind: 'q-table', numStates: 2 ** 24 + 1, numActions: 2 }, {})).toThrow(/not exact in a float32 observation/);
  });
});
