/**
 * Checks one ActRequest's observation against the policy that will act: float32, shaped as one row
 * ([obs...]) or a batch ([B, obs...]), finite, within the size limit. Names expected vs got.
 */
import { decodeTensor, encodeTensor, requireFinite, type ActRequest__Output, type ActResponse } from '@reverie/transport';
import { invalidArgument, resourceExhausted } from '../errors.js';
import type { ActOutput } from './batcher.js';
import type { ServedPolicy } from './servedPolicies.js';

export interface CheckedObservation {
  obs: Float32Array;
  rows: number;
  /** One row sent without a batch axis: the response drops it too. */
  single: boolean;
}

function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function checkObservation(req: ActRequest__Output, served: ServedPolicy, maxBytes: number): CheckedObservation {
  const size = req.observation?.data?.byteLength ?? 0;
  if (size > maxBytes) {
    throw resourceExhausted(`observation of ${size} bytes exceeds the server's limit of ${maxBytes} bytes (maxObservationBytes)`);
  }
  const { array, shape } = decodeTensor(req.observation, { name: 'observation', dtype: 'float32' });
  const row = served.obsShape;
  let rows: number;
  let single: boolean;
  if (sameShape(shape, row) || (shape.length === 0 && served.policy.spec.kind === 'q-table')) {
    rows = 1;
    single = true;
  } else if (shape.length === row.length + 1 && sameShape(shape.slice(1), row)) {
    rows = shape[0];
    single = false;
  } else {
    throw invalidArgument(
      `observation: policy "${served.name}" v${served.version} expects shape ${fmt(row)} or [B, ${row.join(', ')}], got ${fmt(shape)}`,
    );
  }
  if (rows === 0) throw invalidArgument('observation: the batch is empty');
  requireFinite(array, 'observation');
  return { obs: array, rows, single };
}

export function toResponse(out: ActOutput, single: boolean, requestId: number): ActResponse {
  const rows = out.actions.length;
  const lead = single ? [] : [rows];
  const res: ActResponse = { action: encodeTensor(out.actions, lead), version: out.version, requestId };
  if (out.values) res.value = encodeTensor(out.values, lead);
  if (out.probs) res.probs = encodeTensor(out.probs, [...lead, out.numActions]);
  return res;
}
