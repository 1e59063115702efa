/**
 * What the store checks in a weights payload before keeping it: a readable safetensors file, and a
 * policy file that `@reverie/policy` can act with whenever it claims to be one (its algo is a policy
 * kind, or its metadata names a kind). The tensor shapes are kept so later versions can be compared.
 */
import { decodeSafetensors } from '@reverie/core';
import { decodePolicy, POLICY_KINDS, POLICY_METADATA_KEYS } from '@reverie/policy';
import { failedPrecondition, invalidArgument } from '../errors.js';

/** Tensor name → shape, as in the safetensors header. */
export type TensorShapes = Record<string, number[]>;

export interface PayloadFacts {
  shapes: TensorShapes;
  /** The payload is a policy file that decodes and can act. */
  servable: boolean;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function inspectPayload(policy: string, algo: string, bytes: Uint8Array): PayloadFacts {
  let file;
  try {
    file = decodeSafetensors(bytes);
  } catch (err) {
    throw invalidArgument(`weights for ${policy} are not a safetensors file: ${message(err)}`);
  }
  const shapes: TensorShapes = {};
  for (const name of Object.keys(file.tensors).sort()) shapes[name] = file.tensors[name].shape;
  const claimsPolicy = (POLICY_KINDS as readonly string[]).includes(algo) || POLICY_METADATA_KEYS.kind in file.metadata;
  if (!claimsPolicy) return { shapes, servable: false };
  try {
    decodePolicy(bytes);
  } catch (err) {
    throw invalidArgument(`weights for ${policy} (algo "${algo}") are not a valid policy file: ${message(err)}`);
  }
  return { shapes, servable: true };
}

function fmt(shape: number[] | undefined): string {
  return shape ? `[${shape.join(', ')}]` : 'absent';
}

/** Throws FAILED_PRECONDITION naming the first tensor whose shape differs from the previous version's. */
export function requireSameShapes(policy: string, previousVersion: number, before: TensorShapes, now: TensorShapes): void {
  const names = new Set([...Object.keys(before), ...Object.keys(now)]);
  for (const name of [...names].sort()) {
    const a = before[name];
    const b = now[name];
    if (!a || !b || a.length !== b.length || a.some((d, i) => d !== b[i])) {
      throw failedPrecondition(
        `weights for ${policy}: tensor '${name}' is ${fmt(b)}, but version ${previousVersion} has ${fmt(a)}; ` +
          'a policy keeps its shapes across versions (publish under a new policy name instead)',
      );
    }
  }
}
