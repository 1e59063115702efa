/**
 * What a policy file declares about itself (its `__metadata__`), and the tensor shapes that follows from it.
 * The layout is documented in the package README so that other tools can write these files.
 */
import { PolicyFormatError } from './errors.js';

export type PolicyKind = 'mlp-q' | 'q-table';
export type Activation = 'relu' | 'tanh';

export const POLICY_KINDS: readonly PolicyKind[] = ['mlp-q', 'q-table'];
export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh'];

/** An MLP Q-network: obs → hidden (activation) … → Q per action (linear). */
export interface MlpQSpec {
  readonly kind: 'mlp-q';
  /** Observation shape; the network reads the flattened row (product of the dims). */
  readonly obsShape: readonly number[];
  readonly numActions: number;
  /** Hidden layer widths, input side first; empty for a single linear layer. */
  readonly hidden: readonly number[];
  readonly activation: Activation;
  /** Free-form annotations stored alongside (env id, weight version, ...). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A Q table: the observation is one integer state index (given as a float32). */
export interface QTableSpec {
  readonly kind: 'q-table';
  readonly numStates: number;
  readonly numActions: number;
  readonly metadata?: Readonly<Record<string, string>>;
}

export type PolicySpec = MlpQSpec | QTableSpec;

/** 2^24: every integer up to it is exact in float32, the dtype observations arrive in. */
export const MAX_TABLE_STATES = 16_777_216;

export const META = {
  kind: 'reverie.kind',
  obsShape: 'reverie.obs_shape',
  numActions: 'reverie.num_actions',
  activation: 'reverie.activation',
  hidden: 'reverie.hidden',
  numStates: 'reverie.num_states',
} as const;

function isOneOf<T extends string>(options: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (options as readonly string[]).includes(v);
}

const STRUCTURAL_KEYS: ReadonlySet<string> = new Set(Object.values(META));

/** Flattened observation length of one batch row. */
export function obsSizeOf(spec: PolicySpec): number {
  return spec.kind === 'q-table' ? 1 : spec.obsShape.reduce((a, b) => a * b, 1);
}

/** Layer widths [obsSize, hidden..., numActions] of an MLP spec. */
export function layerSizes(spec: MlpQSpec): number[] {
  return [obsSizeOf(spec), ...spec.hidden, spec.numActions];
}

/** Every tensor the spec requires, with its shape, in a stable order. */
export function expectedTensors(spec: PolicySpec): [name: string, shape: number[]][] {
  if (spec.kind === 'q-table') return [['q', [spec.numStates, spec.numActions]]];
  const sizes = layerSizes(spec);
  const out: [string, number[]][] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    out.push([`l${l}.weight`, [sizes[l], sizes[l + 1]]]);
    out.push([`l${l}.bias`, [sizes[l + 1]]]);
  }
  return out;
}

/** Checks a spec built in code (not read from a file); returns it unchanged. */
export function validateSpec(spec: PolicySpec): PolicySpec {
  if (spec === null || typeof spec !== 'object') throw new PolicyFormatError('policy spec must be an object');
  if (!isOneOf(POLICY_KINDS, spec.kind)) {
    throw new PolicyFormatError(`unknown policy kind ${JSON.stringify(spec.kind)}; expected one of ${POLICY_KINDS.join(', ')}`);
  }
  requireCount('numActions', spec.numActions);
  if (spec.kind === 'q-table') {
    requireCount('numStates', spec.numStates);
    if (spec.numStates > MAX_TABLE_STATES) {
      throw new PolicyFormatError(`numStates ${spec.numStates} exceeds ${MAX_TABLE_STATES}: larger state indices are not exact in a float32 observation`);
    }
  } else {
    if (!Array.isArray(spec.obsShape) || spec.obsShape.length === 0) throw new PolicyFormatError('obsShape must be a non-empty array of positive integers');
    spec.obsShape.forEach((d, i) => requireCount(`obsShape[${i}]`, d));
    if (!Array.isArray(spec.hidden)) throw new PolicyFormatError('hidden must be an array of positive integers');
    spec.hidden.forEach((d, i) => requireCount(`hidden[${i}]`, d));
    if (!isOneOf(ACTIVATIONS, spec.activation)) {
      throw new PolicyFormatError(`unknown activation ${JSON.stringify(spec.activation)}; expected one of ${ACTIVATIONS.join(', ')}`);
    }
  }
  for (const [k, v] of Object.entries(spec.metadata ?? {})) {
    if (STRUCTURAL_KEYS.has(k)) throw new PolicyFormatError(`metadata key '${k}' is reserved: it is written from the spec`);
    if (typeof v !== 'string') throw new PolicyFormatError(`metadata '${k}' must be a string, got ${typeof v}`);
  }
  return spec;
}

function requireCount(field: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    throw new PolicyFormatError(`${field} must be a positive integer, got ${JSON.stringify(v)}`);
  }
}

/** The `__metadata__` map for a (valid) spec. */
export function specToMetadata(spec: PolicySpec): Record<string, string> {
  const meta: Record<string, string> = { ...spec.metadata, [META.kind]: spec.kind, [META.numActions]: String(spec.numActions) };
  if (spec.kind === 'q-table') {
    meta[META.obsShape] = '1';
    meta[META.numStates] = String(spec.numStates);
  } else {
    meta[META.obsShape] = spec.obsShape.join(',');
    meta[META.hidden] = spec.hidden.join(',');
    meta[META.activation] = spec.activation;
  }
  return meta;
}

/** Reads a spec back from `__metadata__`; a missing or malformed entry throws naming the key. */
export function specFromMetadata(meta: Readonly<Record<string, string>>): PolicySpec {
  const kind = meta[META.kind];
  if (kind === undefined) throw new PolicyFormatError(`metadata has no '${META.kind}' (not a policy file?)`);
  if (!isOneOf(POLICY_KINDS, kind)) {
    throw new PolicyFormatError(`unknown policy kind ${JSON.stringify(kind)} in '${META.kind}'; expected one of ${POLICY_KINDS.join(', ')}`);
  }
  const metadata = Object.fromEntries(Object.entries(meta).filter(([k]) => !STRUCTURAL_KEYS.has(k)));
  const numActions = readInts(meta, META.numActions, 1, 1)[0];
  if (kind === 'q-table') {
    const obsShape = readInts(meta, META.obsShape, 1, 1);
    if (obsShape[0] !== 1) throw new PolicyFormatError(`'${META.obsShape}' of a q-table must be "1" (one state index), got "${meta[META.obsShape]}"`);
    return validateSpec({ kind, numStates: readInts(meta, META.numStates, 1, 1)[0], numActions, metadata });
  }
  const activation = meta[META.activation];
  if (activation === undefined) throw new PolicyFormatError(`metadata has no '${META.activation}'`);
  if (!isOneOf(ACTIVATIONS, activation)) {
    throw new PolicyFormatError(`unknown activation ${JSON.stringify(activation)} in '${META.activation}'; expected one of ${ACTIVATIONS.join(', ')}`);
  }
  return validateSpec({
    kind,
    obsShape: readInts(meta, META.obsShape, 1, Infinity),
    numActions,
    hidden: readInts(meta, META.hidden, 0, Infinity),
    activation,
    metadata,
  });
}

/** A comma-separated list of positive integers ("4", "64,64", "" for none). */
function readInts(meta: Readonly<Record<string, string>>, key: string, min: number, max: number): number[] {
  const raw = meta[key];
  if (raw === undefined) throw new PolicyFormatError(`metadata has no '${key}'`);
  const parts = raw.trim() === '' ? [] : raw.split(',').map((s) => s.trim());
  if (!parts.every((p) => /^[1-9][0-9]*$/.test(p) && Number.isSafeInteger(Number(p)))) {
    throw new PolicyFormatError(`'${key}' must be comma-separated positive integers, got "${raw}"`);
  }
  if (parts.length < min || parts.length > max) {
    const want = min === max ? `${min}` : `at least ${min}`;
    throw new PolicyFormatError(`'${key}' must hold ${want} number(s), got "${raw}"`);
  }
  return parts.map(Number);
}
