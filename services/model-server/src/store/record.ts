/** The metadata file stored next to each version's safetensors file. */
import type { WeightsMetadata__Output } from '@reverie/transport';
import type { TensorShapes } from './payload.js';

export interface VersionRecord extends WeightsMetadata__Output {
  shapes: TensorShapes;
  servable: boolean;
}

export function encodeRecord(r: VersionRecord): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(r, null, 2)}\n`);
}

function isStringMap(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');
}

function isShapes(v: unknown): v is TensorShapes {
  return (
    typeof v === 'object' &&
    v !== null &&
    Object.values(v).every((s) => Array.isArray(s) && s.every((d) => Number.isSafeInteger(d) && d >= 0))
  );
}

/** Parses a metadata file; throws naming the first missing or mistyped field. */
export function decodeRecord(text: string): VersionRecord {
  const raw: unknown = JSON.parse(text);
  if (typeof raw !== 'object' || raw === null) throw new Error('metadata is not a JSON object');
  const r = raw as Record<string, unknown>;
  for (const key of ['policy', 'algo', 'envId', 'sha256'] as const) {
    if (typeof r[key] !== 'string') throw new Error(`metadata field '${key}' must be a string`);
  }
  for (const key of ['version', 'sizeBytes', 'createdUnixMs'] as const) {
    if (!Number.isSafeInteger(r[key])) throw new Error(`metadata field '${key}' must be an integer`);
  }
  if (!isStringMap(r.labels)) throw new Error("metadata field 'labels' must map strings to strings");
  if (!isShapes(r.shapes)) throw new Error("metadata field 'shapes' must map tensor names to shapes");
  if (typeof r.servable !== 'boolean') throw new Error("metadata field 'servable' must be a boolean");
  return raw as VersionRecord;
}

/** The wire metadata of a record (without the store's own fields). */
export function toWire(r: VersionRecord): WeightsMetadata__Output {
  return {
    policy: r.policy,
    version: r.version,
    algo: r.algo,
    envId: r.envId,
    sha256: r.sha256,
    sizeBytes: r.sizeBytes,
    createdUnixMs: r.createdUnixMs,
    labels: { ...r.labels },
  };
}
