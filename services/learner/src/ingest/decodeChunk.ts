/**
 * Turns a received TrajectoryChunk into a StepBatch, or throws a ChunkError naming the field that is
 * wrong (the gRPC layer answers INVALID_ARGUMENT with its message). Nothing is stored before the
 * whole chunk has been checked.
 */
import { decodeTensor, requireFinite, TensorError, type Tensor, type TrajectoryChunk, type WireTensor } from '@reverie/transport';
import type { StepBatch } from './stepBatch.js';

export class ChunkError extends Error {
  override name = 'ChunkError';
}

export interface ChunkSpec {
  envId: string;
  obsSize: number;
  numActions: number;
  /** Largest T·N accepted (a bound on memory per chunk). */
  maxSteps: number;
  /** Discrete observation spaces: observations must be whole state indices below this. */
  numStates?: number;
}

const MAX_ACTOR_ID_LENGTH = 256;

/** Accepts a chunk as received over gRPC or as built in process (both are `TrajectoryChunk`s). */
export function decodeChunk(chunk: TrajectoryChunk, spec: ChunkSpec): StepBatch {
  try {
    return decodeChecked(chunk, spec);
  } catch (err) {
    if (err instanceof TensorError) throw new ChunkError(err.message);
    throw err;
  }
}

/** A uint64 field (a number, or a decimal string or Long from other encoders) as a safe integer. */
function count(v: unknown, field: string): number {
  const n = typeof v === 'number' ? v : Number(String(v ?? 0));
  if (!Number.isSafeInteger(n) || n < 0) throw new ChunkError(`${field}: ${String(v)} is not a whole number below 2^53`);
  return n;
}

function wire(t: Tensor | null | undefined, name: string): WireTensor | undefined {
  if (t === null || t === undefined || t.data === undefined) return undefined;
  if (!(t.data instanceof Uint8Array)) throw new TensorError(`${name}: tensor data must be bytes, not a string`);
  return { dtype: t.dtype ?? 'DTYPE_UNSPECIFIED', shape: t.shape ?? [], data: t.data };
}

function decodeChecked(chunk: TrajectoryChunk, spec: ChunkSpec): StepBatch {
  const actorId = chunk.actorId ?? '';
  const envId = chunk.envId ?? '';
  const n = chunk.numEnvs ?? 0;
  const t = chunk.numSteps ?? 0;
  if (actorId === '' || actorId.length > MAX_ACTOR_ID_LENGTH) {
    throw new ChunkError(`actor_id: expected 1 to ${MAX_ACTOR_ID_LENGTH} characters, got ${actorId.length}`);
  }
  if (envId !== spec.envId) throw new ChunkError(`env_id: this learner trains on ${spec.envId}, the chunk is from '${envId}'`);
  const sequence = count(chunk.sequence, 'sequence');
  const policyVersion = count(chunk.policyVersion, 'policy_version');
  const latestVersion = count(chunk.latestVersion, 'latest_version');
  if (n <= 0 || t <= 0) throw new ChunkError(`num_envs and num_steps must be positive, got ${n} and ${t}`);
  if (n * t > spec.maxSteps) throw new ChunkError(`num_envs × num_steps = ${n * t} exceeds this learner's limit of ${spec.maxSteps} steps per chunk`);
  const o = spec.obsSize;
  const obs = decodeTensor(wire(chunk.observations, 'observations'), { name: 'observations', dtype: 'float32', shape: [t, n, o] }).array;
  const nextObs = decodeTensor(wire(chunk.nextObservations, 'next_observations'), { name: 'next_observations', dtype: 'float32', shape: [t, n, o] }).array;
  const actions = decodeTensor(wire(chunk.actions, 'actions'), { name: 'actions', dtype: 'int32', shape: [t, n] }).array;
  const rewards = decodeTensor(wire(chunk.rewards, 'rewards'), { name: 'rewards', dtype: 'float32', shape: [t, n] }).array;
  const terminated = decodeTensor(wire(chunk.terminated, 'terminated'), { name: 'terminated', dtype: 'bool', shape: [t, n] }).array;
  const truncated = decodeTensor(wire(chunk.truncated, 'truncated'), { name: 'truncated', dtype: 'bool', shape: [t, n] }).array;
  requireFinite(obs, 'observations');
  requireFinite(nextObs, 'next_observations');
  requireFinite(rewards, 'rewards');
  checkActions(actions, spec.numActions);
  if (spec.numStates !== undefined) {
    checkStates(obs, 'observations', spec.numStates);
    checkStates(nextObs, 'next_observations', spec.numStates);
  }
  checkBools(terminated, 'terminated');
  checkBools(truncated, 'truncated');
  const episodeReturns = (chunk.episodeReturns ?? []).map(Number);
  for (const r of episodeReturns) if (!Number.isFinite(r)) throw new ChunkError(`episode_returns: ${r} is not finite`);
  return {
    actorId,
    sequence,
    numEnvs: n,
    numSteps: t,
    obsSize: o,
    obs,
    actions,
    rewards,
    nextObs,
    terminated,
    truncated,
    policyVersion,
    latestVersion,
    episodeReturns,
  };
}

function checkActions(actions: Int32Array, numActions: number): void {
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i];
    if (a < 0 || a >= numActions) throw new ChunkError(`actions: element ${i} is ${a}, outside Discrete(${numActions})`);
  }
}

function checkStates(values: Float32Array, name: string, numStates: number): void {
  for (let i = 0; i < values.length; i++) {
    const s = values[i];
    if (!Number.isInteger(s) || s < 0 || s >= numStates) throw new ChunkError(`${name}: element ${i} is ${s}, not a state of Discrete(${numStates})`);
  }
}

function checkBools(values: Uint8Array, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (values[i] > 1) throw new ChunkError(`${name}: element ${i} is ${values[i]}, expected 0 or 1`);
  }
}
