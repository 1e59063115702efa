/**
 * The safetensors file layout (https://github.com/huggingface/safetensors), so weights written here
 * open in other tools and theirs open here:
 *
 *   [8 bytes: header length N, u64 little-endian][N bytes: JSON header, padded with spaces][data]
 *
 * The header maps each tensor name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets into the
 * data section) plus an optional `__metadata__` string map. Tensors are packed without gaps, wider
 * element types first, so every tensor is naturally aligned (the header is padded to a multiple of 8).
 */

export type SafeDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** Typed array per dtype; F16/BF16 carry raw 16-bit patterns. */
export interface SafeArrayOf {
  F64: Float64Array;
  F32: Float32Array;
  F16: Uint16Array;
  BF16: Uint16Array;
  I64: BigInt64Array;
  I32: Int32Array;
  I16: Int16Array;
  I8: Int8Array;
  U64: BigUint64Array;
  U32: Uint32Array;
  U16: Uint16Array;
  U8: Uint8Array;
  BOOL: Uint8Array;
}

export type SafeTypedArray = SafeArrayOf[SafeDtype];

export interface SafeTensor {
  dtype: SafeDtype;
  shape: number[];
  data: SafeTypedArray;
}

export interface SafetensorsFile {
  tensors: Record<string, SafeTensor>;
  metadata: Record<string, string>;
}

interface DtypeSpec {
  bytes: number;
  ctor: { new (buffer: ArrayBuffer): SafeTypedArray; name: string };
}

const DTYPES: Record<SafeDtype, DtypeSpec> = {
  F64: { bytes: 8, ctor: Float64Array },
  I64: { bytes: 8, ctor: BigInt64Array },
  U64: { bytes: 8, ctor: BigUint64Array },
  F32: { bytes: 4, ctor: Float32Array },
  I32: { bytes: 4, ctor: Int32Array },
  U32: { bytes: 4, ctor: Uint32Array },
  F16: { bytes: 2, ctor: Uint16Array },
  BF16: { bytes: 2, ctor: Uint16Array },
  I16: { bytes: 2, ctor: Int16Array },
  U16: { bytes: 2, ctor: Uint16Array },
  I8: { bytes: 1, ctor: Int8Array },
  U8: { bytes: 1, ctor: Uint8Array },
  BOOL: { bytes: 1, ctor: Uint8Array },
};

/** The reference implementation's dtype order (increasing alignment); it writes higher ranks first. */
const DTYPE_RANK: readonly SafeDtype[] = ['BOOL', 'U8', 'I8', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64'];

const METADATA_KEY = '__metadata__';
/** The reference implementation's limit; a larger header means a corrupt or hostile file. */
const MAX_HEADER_BYTES = 100_000_000;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('safetensors: this platform is big-endian; the little-endian layout is not supported here');
}

export function isSafeDtype(v: unknown): v is SafeDtype {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, v);
}

/** Serialises tensors (and optional string metadata) into one safetensors byte buffer. */
export function encodeSafetensors(tensors: Record<string, SafeTensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors);
  for (const name of names) checkTensor(name, tensors[name]);
  // The reference writer's order (dtype rank descending, then name) keeps every tensor aligned and
  // makes our bytes identical to its bytes for the same tensors.
  names.sort((a, b) => DTYPE_RANK.indexOf(tensors[b].dtype) - DTYPE_RANK.indexOf(tensors[a].dtype) || (a < b ? -1 : a > b ? 1 : 0));

  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header[METADATA_KEY] = checkMetadata(metadata);
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const end = offset + t.data.byteLength;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let at = 8 + headerLen;
  for (const name of names) {
    const d = tensors[name].data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    at += d.byteLength;
  }
  return out;
}

function checkTensor(name: string, t: SafeTensor): void {
  if (name === '' || name === METADATA_KEY) throw new Error(`safetensors: invalid tensor name ${JSON.stringify(name)}`);
  if (!isSafeDtype(t.dtype)) throw new Error(`safetensors: tensor '${name}' has unknown dtype ${JSON.stringify(t.dtype)}`);
  const numel = checkShape(name, t.shape);
  const spec = DTYPES[t.dtype];
  if (!(t.data instanceof spec.ctor)) {
    throw new Error(`safetensors: tensor '${name}' has dtype ${t.dtype}, which needs a ${spec.ctor.name}, got ${t.data?.constructor?.name ?? typeof t.data}`);
  }
  if (t.data.length !== numel) {
    throw new Error(`safetensors: tensor '${name}' has shape [${t.shape.join(', ')}] (${numel} elements) but ${t.data.length} values`);
  }
}

function checkShape(name: string, shape: unknown): number {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`safetensors: tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
  }
  return (shape as number[]).reduce((a, b) => a * b, 1);
}

function checkMetadata(metadata: Record<string, unknown>): Record<string, string> {
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new Error(`safetensors: metadata '${k}' must be a string, got ${typeof v}`);
  }
  return metadata as Record<string, string>;
}

/** Parses and validates a safetensors buffer; a corrupt file throws an error saying what is wrong. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw new Error(`safetensors: file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLen > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) {
    throw new Error(`safetensors: header length ${headerLen} exceeds the ${bytes.length - 8} bytes after it (corrupt or truncated file)`);
  }
  const n = Number(headerLen);
  const header = parseHeader(bytes.subarray(8, 8 + n));
  const data = bytes.subarray(8 + n);
  const metadata = header[METADATA_KEY] === undefined ? {} : checkMetadata(asObject(header[METADATA_KEY], METADATA_KEY));
  const tensors: Record<string, SafeTensor> = {};
  const spans: [number, number, string][] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === METADATA_KEY) continue;
    const entry = readEntry(name, raw, data.length);
    spans.push([entry.begin, entry.end, name]);
    tensors[name] = { dtype: entry.dtype, shape: entry.shape, data: copyOut(entry.dtype, data, entry.begin, entry.end) };
  }
  checkCoverage(spans, data.length);
  return { tensors, metadata: { ...metadata } };
}

function parseHeader(raw: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new Error('safetensors: header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw new Error("safetensors: header must be a JSON object starting with '{'");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`safetensors: header is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return asObject(parsed, 'header');
}

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`safetensors: ${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

function readEntry(name: string, raw: unknown, dataLen: number): { dtype: SafeDtype; shape: number[]; begin: number; end: number } {
  const e = asObject(raw, `entry '${name}'`);
  if (!isSafeDtype(e.dtype)) throw new Error(`safetensors: tensor '${name}' has unknown dtype ${JSON.stringify(e.dtype)}`);
  const numel = checkShape(name, e.shape);
  const offs = e.data_offsets;
  if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new Error(`safetensors: tensor '${name}' has invalid data_offsets ${JSON.stringify(offs)}`);
  }
  const [begin, end] = offs as [number, number];
  if (end < begin || end > dataLen) {
    throw new Error(`safetensors: tensor '${name}' data_offsets [${begin}, ${end}] fall outside the ${dataLen}-byte data section`);
  }
  const want = numel * DTYPES[e.dtype].bytes;
  if (end - begin !== want) {
    throw new Error(`safetensors: tensor '${name}' spans ${end - begin} bytes but dtype ${e.dtype} shape [${(e.shape as number[]).join(', ')}] needs ${want}`);
  }
  return { dtype: e.dtype, shape: [...(e.shape as number[])], begin, end };
}

/** Tensors must tile the data section exactly: no overlap, no hole, nothing trailing. */
function checkCoverage(spans: [number, number, string][], dataLen: number): void {
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let at = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== at) {
      throw new Error(`safetensors: tensor '${name}' starts at byte ${begin} but the previous tensor ends at ${at} (${begin < at ? 'overlap' : 'gap'})`);
    }
    at = end;
  }
  if (at !== dataLen) throw new Error(`safetensors: tensors cover ${at} bytes but the data section has ${dataLen}`);
}

/** Copies into a fresh, aligned buffer: the input's byte offset may not suit the element size. */
function copyOut(dtype: SafeDtype, data: Uint8Array, begin: number, end: number): SafeTypedArray {
  const buf = new ArrayBuffer(end - begin);
  new Uint8Array(buf).set(data.subarray(begin, end));
  return new DTYPES[dtype].ctor(buf);
}
