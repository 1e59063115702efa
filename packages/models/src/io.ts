/**
 * World models as safetensors files: weights as tensors, and everything needed to rebuild and use
 * the model (kind, sizes, action encoding, normaliser statistics, elites) as string metadata.
 */
import { decodeSafetensors, loadInto, saveVariables } from '@reverie/nn';
import { DeterministicWorldModel } from './deterministic.js';
import { ProbabilisticEnsemble } from './ensemble.js';
import { type ActionSpec, describeAction, statsFromJson, statsToJson } from './inputs.js';
import type { WorldModel } from './train.js';

const FORMAT = 'reverie-world-model/1';

function architecture(model: WorldModel): Record<string, string> {
  return {
    format: FORMAT,
    kind: model.kind,
    stateSize: String(model.stateSize),
    action: JSON.stringify(model.action),
    hidden: String(model.hidden),
    layers: String(model.layers),
    members: String(model.members),
    elites: model.kind === 'ensemble' ? String(model.numElites) : '1',
  };
}

function describe(meta: Record<string, string | undefined>): string {
  let action = String(meta.action);
  try {
    action = describeAction(JSON.parse(action) as ActionSpec);
  } catch {
    // keep the raw text: the mismatch message should still print
  }
  return `${meta.kind} (state ${meta.stateSize}, action ${action}, ${meta.layers}×${meta.hidden} hidden, ${meta.members} member(s), ${meta.elites} elite(s))`;
}

/** The model's weights, architecture and normalisers as safetensors bytes. */
export function saveWorldModel(model: WorldModel, extraMetadata: Record<string, string> = {}): Uint8Array {
  const meta: Record<string, string> = {
    ...extraMetadata,
    ...architecture(model),
    stdFloor: String(model.stdFloor),
    inputStats: statsToJson(model.inputStats),
    targetStats: statsToJson(model.targetStats),
  };
  if (model.kind === 'ensemble') meta.eliteMembers = JSON.stringify(Array.from(model.elites));
  return saveVariables(model.namedVariables(), meta);
}

/**
 * Loads a file into an existing model. A file written for another architecture is refused (before
 * any weight changes) with both architectures in the message. Returns the file's metadata.
 */
export function loadWorldModelWeights(model: WorldModel, bytes: Uint8Array): Record<string, string> {
  const meta = decodeSafetensors(bytes).metadata;
  if (meta.format !== FORMAT) throw new Error(`model file: not a world-model file (format ${JSON.stringify(meta.format)}, expected ${FORMAT})`);
  const want = architecture(model);
  const field = Object.keys(want).find((k) => meta[k] !== want[k]);
  if (field !== undefined) {
    throw new Error(`model file is for another architecture (${field} differs): the file holds a ${describe(meta)}, this model is a ${describe(want)}`);
  }
  const inputStats = statsFromJson('inputStats', meta.inputStats, model.inputSize);
  const targetStats = statsFromJson('targetStats', meta.targetStats, model.stateSize + 1);
  const elites = model.kind === 'ensemble' ? parseElites(meta.eliteMembers) : null;
  loadInto(model.namedVariables(), bytes);
  model.inputStats = inputStats;
  model.targetStats = targetStats;
  if (model.kind === 'ensemble' && elites !== null) model.setElites(elites);
  return meta;
}

/** Rebuilds the model a file describes and loads its weights. */
export function loadWorldModel(bytes: Uint8Array): WorldModel {
  const meta = decodeSafetensors(bytes).metadata;
  if (meta.format !== FORMAT) throw new Error(`model file: not a world-model file (format ${JSON.stringify(meta.format)}, expected ${FORMAT})`);
  const options = {
    stateSize: intField(meta, 'stateSize'),
    action: JSON.parse(meta.action ?? 'null') as ActionSpec,
    hidden: intField(meta, 'hidden'),
    layers: intField(meta, 'layers'),
    stdFloor: Number(meta.stdFloor ?? '1e-3'),
  };
  const model: WorldModel =
    meta.kind === 'ensemble'
      ? new ProbabilisticEnsemble({ ...options, members: intField(meta, 'members'), elites: intField(meta, 'elites') })
      : meta.kind === 'deterministic'
        ? new DeterministicWorldModel(options)
        : unknownKind(meta.kind);
  try {
    loadWorldModelWeights(model, bytes);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}

function unknownKind(kind: string | undefined): never {
  throw new Error(`model file: unknown model kind ${JSON.stringify(kind)}`);
}

function intField(meta: Record<string, string>, field: string): number {
  const v = Number(meta[field]);
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`model file: metadata '${field}' is ${JSON.stringify(meta[field])}, not a positive integer`);
  return v;
}

function parseElites(text: string | undefined): number[] {
  const v: unknown = JSON.parse(text ?? 'null');
  if (!Array.isArray(v) || !v.every((i) => Number.isInteger(i))) throw new Error("model file: metadata 'eliteMembers' is not a list of member indices");
  return v as number[];
}
