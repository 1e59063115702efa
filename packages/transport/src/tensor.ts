/**
 * Tensors on the wire: packed little-endian bytes with a dtype and a shape (protos/reverie/v1/tensor.proto).
 * Encoding wraps the typed array's memory without copying; decoding copies only when the bytes are not
 * aligned for the element type (protobuf puts them wherever they fall in the message).
 */
import type { Tensor } from './generated/reverie/v1/Tensor.js';

export type DTypeName = 'float32' | 'float64' | 'int32' | 'uint8' | 'bool';

const WIRE: Record<DTypeName, string> = {
  float32: 'DTYPE_FLOAT32',
  float64: 'DTYPE_FLOAT64',
  int32: 'DTYPE_INT32',
  uint8: 'DTYPE_UINT8',
  bool: 'DTYPE_BOOL',
};
const FROM_WIRE = new Map<string, DTypeName>(Object.entries(WIRE).map(([k, v]) => [v, k as DTypeName]));

export interface TensorArrayOf {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}
export type TensorArray = TensorArrayOf[DTypeName];

const BYTES: Record<DTypeName, number> = { float32: 4, float64: 8, int32: 4, uint8: 1, bool: 1 };

/** A tensor that is malformed or not what the receiver expects; servers answer INVALID_ARGUMENT. */
export class TensorError extends Error {
  override name = 'TensorError';
}

/** The wire form of a tensor at rest (as received, dtype as the enum's name). */
export interface WireTensor {
  dtype: string | number;
  shape: number[];
  data: Uint8Array;
}

function checkShape(shape: readonly number[], what: string): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new TensorError(`${what}: bad shape [${shape.join(', ')}]`);
    n *= d;
  }
  return n;
}

function dtypeOf(array: TensorArray): DTypeName {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  return 'uint8';
}

/** A Tensor message over `array`'s memory (no copy; keep `array` unchanged until the message is sent). */
export function encodeTensor(array: TensorArray, shape: readonly number[], dtype: DTypeName = dtypeOf(array)): Tensor {
  const n = checkShape(shape, 'encodeTensor');
  if (n !== array.length) {
    throw new TensorError(`encodeTensor: shape [${shape.join(', ')}] holds ${n} elements, the array ${array.length}`);
  }
  return {
    dtype: WIRE[dtype] as Tensor['dtype'],
    shape: [...shape],
    data: Buffer.from(array.buffer, array.byteOffset, array.byteLength),
  };
}

export interface TensorExpectation<D extends DTypeName> {
  /** A name for error messages, e.g. "observation". */
  name: string;
  dtype: D;
  /** Expected shape; -1 matches any size on that axis. Omit to accept any shape. */
  shape?: readonly number[];
}

export interface DecodedTensor<D extends DTypeName> {
  array: TensorArrayOf[D];
  shape: number[];
}

function describe(t: WireTensor | null | undefined): string {
  return t ? `${String(t.dtype)} [${(t.shape ?? []).join(', ')}]` : 'nothing';
}

/** Reads a received tensor, checking dtype, shape and byte length against what the caller expects. */
export function decodeTensor<D extends DTypeName>(
  t: WireTensor | null | undefined,
  expect: TensorExpectation<D>,
): DecodedTensor<D> {
  if (!t || t.data === undefined) throw new TensorError(`${expect.name}: missing tensor`);
  const dtype = FROM_WIRE.get(String(t.dtype));
  if (dtype !== expect.dtype) {
    throw new TensorError(`${expect.name}: expected ${expect.dtype}, got ${describe(t)}`);
  }
  const shape = [...(t.shape ?? [])];
  const n = checkShape(shape, expect.name);
  if (expect.shape) {
    const ok = expect.shape.length === shape.length && expect.shape.every((d, i) => d === -1 || d === shape[i]);
    if (!ok) {
      throw new TensorError(`${expect.name}: expected shape [${expect.shape.join(', ')}], got [${shape.join(', ')}]`);
    }
  }
  const bytes = BYTES[dtype];
  if (t.data.byteLength !== n * bytes) {
    throw new TensorError(`${expect.name}: shape [${shape.join(', ')}] needs ${n * bytes} bytes, got ${t.data.byteLength}`);
  }
  return { array: view(dtype, t.data, n) as TensorArrayOf[D], shape };
}

function view(dtype: DTypeName, data: Uint8Array, n: number): TensorArray {
  const bytes = BYTES[dtype];
  // Buffer.slice() would be a view; new Uint8Array(data) copies into fresh, aligned memory.
  const src = data.byteOffset % bytes === 0 ? data : new Uint8Array(data);
  switch (dtype) {
    case 'float32':
      return new Float32Array(src.buffer, src.byteOffset, n);
    case 'float64':
      return new Float64Array(src.buffer, src.byteOffset, n);
    case 'int32':
      return new Int32Array(src.buffer, src.byteOffset, n);
    default:
      return new Uint8Array(src.buffer, src.byteOffset, n);
  }
}

/** Throws a TensorError naming the first non-finite element (NaN or ±Infinity). */
export function requireFinite(array: Float32Array | Float64Array, name: string): void {
  for (let i = 0; i < array.length; i++) {
    if (!Number.isFinite(array[i])) throw new TensorError(`${name}: element ${i} is ${array[i]}`);
  }
}
