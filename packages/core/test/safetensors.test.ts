import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from '@reverie/core';

const f32 = (xs: number[]): Float32Array => Float32Array.from(xs);

/** Builds a file by hand (header text as given, data bytes as given) to feed the decoder corrupt input. */
function handMade(header: string, data: Uint8Array = new Uint8Array(0), lengthOverride?: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(lengthOverride ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors layout', () => {
  // Byte vectors from the reference implementation's own serialisation tests.
  it('matches the reference bytes for one F32 tensor', () => {
    const out = encodeSafetensors({ 'attn.0': { dtype: 'F32', shape: [1, 2, 3], data: f32([0, 1, 2, 3, 4, 5]) } });
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(new DataView(out.buffer).getBigUint64(0, true)).toBe(64n);
    expect(new TextDecoder().decode(out.subarray(8, 72))).toBe(header);
    expect([...out.subarray(72, 80)]).toEqual([0, 0, 0, 0, 0, 0, 128, 63]);
    expect(out.length).toBe(8 + 64 + 24);
  });

  it('pads the header with spaces to a multiple of 8 (reference: forced alignment)', () => {
    const out = encodeSafetensors({ attn0: { dtype: 'F32', shape: [1, 1, 2, 3], data: f32([0, 1, 2, 3, 4, 5]) } });
    expect(new DataView(out.buffer).getBigUint64(0, true)).toBe(72n);
    const text = new TextDecoder().decode(out.subarray(8, 80));
    expect(text).toBe('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ');
  });

  it('matches the reference bytes for an empty file, with and without metadata', () => {
    expect([...encodeSafetensors({})]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    const withMeta = encodeSafetensors({}, { framework: 'pt' });
    expect(withMeta[0]).toBe(40);
    expect(new TextDecoder().decode(withMeta.subarray(8))).toBe('{"__metadata__":{"framework":"pt"}}     ');
  });

  it('orders tensors wider dtype first, then by name, each naturally aligned', () => {
    const out = encodeSafetensors({
      b: { dtype: 'U8', shape: [3], data: Uint8Array.from([1, 2, 3]) },
      a: { dtype: 'F32', shape: [1], data: f32([1]) },
      c: { dtype: 'F64', shape: [2], data: Float64Array.from([1, 2]) },
      d: { dtype: 'F32', shape: [2], data: f32([1, 2]) },
    });
    const n = Number(new DataView(out.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(out.subarray(8, 8 + n))) as Record<string, { data_offsets: number[] }>;
    expect(Object.keys(header)).toEqual(['c', 'a', 'd', 'b']);
    expect(header.c.data_offsets).toEqual([0, 16]);
    expect(header.a.data_offsets).toEqual([16, 20]);
    expect(header.d.data_offsets).toEqual([20, 28]);
    expect(header.b.data_offsets).toEqual([28, 31]);
    expect(new Float64Array(out.buffer.slice(8 + n, 8 + n + 16))).toEqual(Float64Array.from([1, 2]));
  });
});

describe('safetensors round trip', () => {
  it('keeps every dtype, shape, value and the metadata', () => {
    const tensors: Record<string, SafeTensor> = {
      f64: { dtype: 'F64', shape: [2], data: Float64Array.from([Math.PI, -1e300]) },
      f32: { dtype: 'F32', shape: [2, 2], data: f32([1.5, -2, Infinity, 0]) },
      f16: { dtype: 'F16', shape: [1], data: Uint16Array.from([0x3c00]) },
      bf16: { dtype: 'BF16', shape: [1], data: Uint16Array.from([0x3f80]) },
      i64: { dtype: 'I64', shape: [1], data: BigInt64Array.from([-(2n ** 62n)]) },
      u64: { dtype: 'U64', shape: [1], data: BigUint64Array.from([2n ** 63n]) },
      i32: { dtype: 'I32', shape: [3], data: Int32Array.from([-1, 0, 2 ** 31 - 1]) },
      u32: { dtype: 'U32', shape: [1], data: Uint32Array.from([2 ** 32 - 1]) },
      i16: { dtype: 'I16', shape: [1], data: Int16Array.from([-300]) },
      u16: { dtype: 'U16', shape: [1], data: Uint16Array.from([65535]) },
      i8: { dtype: 'I8', shape: [1], data: Int8Array.from([-7]) },
      u8: { dtype: 'U8', shape: [2], data: Uint8Array.from([0, 255]) },
      bool: { dtype: 'BOOL', shape: [2], data: Uint8Array.from([1, 0]) },
      scalar: { dtype: 'F32', shape: [], data: f32([42]) },
      empty: { dtype: 'F32', shape: [0, 3], data: f32([]) },
    };
    const file = decodeSafetensors(encodeSafetensors(tensors, { arch: 'mlp', hidden: '200' }));
    expect(file.metadata).toEqual({ arch: 'mlp', hidden: '200' });
    expect(Object.keys(file.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) expect(file.tensors[name]).toEqual(t);
  });

  it('decodes from a Uint8Array that starts at an odd byte offset', () => {
    const bytes = encodeSafetensors({ x: { dtype: 'F64', shape: [1], data: Float64Array.from([2.5]) } });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeSafetensors(shifted.subarray(1)).tensors.x.data).toEqual(Float64Array.from([2.5]));
  });

  const script = fileURLToPath(new URL('./fixtures/read_safetensors.py', import.meta.url));
  it('is read identically by an independent Python parser (standard library only)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reverie-st-'));
    const path = join(dir, 'w.safetensors');
    writeFileSync(path, encodeSafetensors({
      'layer.0.kernel': { dtype: 'F32', shape: [2, 3], data: f32([1, 2, 3, 4, 5, 6.5]) },
      steps: { dtype: 'I64', shape: [1], data: BigInt64Array.from([12345n]) },
      mask: { dtype: 'U8', shape: [3], data: Uint8Array.from([1, 0, 1]) },
    }, { arch: 'test' }));
    const parsed = JSON.parse(execFileSync('python3', [script, path], { encoding: 'utf8' })) as {
      metadata: Record<string, string>;
      tensors: Record<string, { dtype: string; shape: number[]; values: number[] }>;
    };
    expect(parsed.metadata).toEqual({ arch: 'test' });
    expect(parsed.tensors['layer.0.kernel']).toMatchObject({ dtype: 'F32', shape: [2, 3], values: [1, 2, 3, 4, 5, 6.5] });
    expect(parsed.tensors.steps).toMatchObject({ dtype: 'I64', shape: [1], values: [12345] });
    expect(parsed.tensors.mask).toMatchObject({ dtype: 'U8', shape: [3], values: [1, 0, 1] });
  });
});

describe('safetensors validation', () => {
  it('refuses bad tensors on encode, naming the tensor', () => {
    expect(() => encodeSafetensors({ w: { dtype: 'F32', shape: [2, 2], data: f32([1, 2, 3]) } })).toThrow(/'w'.*4 elements.*3 values/);
    expect(() => encodeSafetensors({ w: { dtype: 'F32', shape: [2], data: Float64Array.from([1, 2]) } })).toThrow(/'w'.*Float32Array.*Float64Array/);
    expect(() => encodeSafetensors({ w: { dtype: 'F32', shape: [-1], data: f32([]) } })).toThrow(/'w'.*invalid shape/);
    expect(() => encodeSafetensors({ __metadata__: { dtype: 'F32', shape: [0], data: f32([]) } })).toThrow(/invalid tensor name/);
  });

  it('refuses corrupt files with a message saying what is wrong', () => {
    expect(() => decodeSafetensors(new Uint8Array(5))).toThrow(/too short/);
    expect(() => decodeSafetensors(handMade('{}', new Uint8Array(0), 1000))).toThrow(/header length 1000 exceeds/);
    expect(() => decodeSafetensors(handMade('[1,2]'))).toThrow(/JSON object/);
    expect(() => decodeSafetensors(handMade('{"a":'))).toThrow(/not valid JSON/);
    expect(() => decodeSafetensors(handMade('{"a":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4)))).toThrow(/'a'.*unknown dtype "F33"/);
    expect(() => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', new Uint8Array(4)))).toThrow(/'a' spans 4 bytes.*needs 8/);
    expect(() => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', new Uint8Array(4)))).toThrow(/'a' data_offsets \[0, 8\] fall outside/);
    expect(() => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Uint8Array(8)))).toThrow(/'a' starts at byte 4.*gap/);
    expect(() => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4)))).toThrow(/overlap/);
    expect(() => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(8)))).toThrow(/cover 4 bytes but the data section has 8/);
    expect(() => decodeSafetensors(handMade('{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}', new Uint8Array(4)))).toThrow(/'a' has an invalid shape/);
    expect(() => decodeSafetensors(handMade('{"__metadata__":{"k":1}}'))).toThrow(/metadata 'k' must be a string/);
  });
});
