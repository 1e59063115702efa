/**
 * What the store checks in a weights payload before keeping it: a readable safetensors file, and a
 * policy file that `@reverie/policy` can act with whenever it claims to be one (its algo is a policy
 * kind, or its metadata names a kind). The tensor shapes are kept so later versions can be compared,
 * and the decoded policy is handed on so the policy server does not parse the file again.
 */
import { decodeSafetensors } from '@reverie/core';
import { decodePolicy, expectedTensors, POLICY_KINDS, POLICY_METADATA_KEYS, type Policy } from '@reverie/policy';
import { failedPrecondition, invalidArgument } from '../errors.js';

/** Tensor name → shape, as in the safetensors header. */
export type TensorShapes = Record<string, number[]>;

export interface PayloadFacts {
  shapes: TensorShapes;
  /** The decoded policy, when the payload is a policy file (it can act). */
  policy?: Policy;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function notAPolicy(policy: string, algo: string, err: unknown): Error {
  return invalidArgument(`weights for ${policy} (algo "${algo}") are not a valid policy file: ${message(err)}`);
}

/** One parse in the usual case: a policy file decodes once, and its shapes follow from its spec. */
export function inspectPayload(policy: string, algo: string, bytes: Uint8Array): PayloadFacts {
  let policyError: unknown;
  try {
    const decoded = decodePolicy(bytes);
    return { shapes: Object.fromEntries(expectedTensors(decoded.spec)), policy: decoded };
  } catch (err) {
    policyError = err;
  }
  if ((POLICY_KINDS as readonly string[]).includes(algo)) throw notAPolicy(policy, algo, policyError);
  let file;
  try {
    file = decodeSafetensors(bytes);
  } catch (err) {
    throw invalidArgument(`weights for ${policy} are not a safetensors file: ${message(err)}`);
  }
  if (POLICY_METADATA_KEYS.kind in file.metadata) throw notAPolicy(policy, algo, policyError);
  const shapes: TensorShapes = {};
  for (const name of Object.keys(file.tensors).sort()) shapes[name] = file.tensors[name].shape;
  return { shapes };
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
