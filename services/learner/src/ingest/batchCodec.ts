/**
 * A StepBatch as bytes for the write-ahead log: a small fixed header, then the arrays packed as they
 * are in memory (little-endian). Decoding copies into fresh, aligned arrays.
 */
import type { StepBatch } from './stepBatch.js';

const NUMBERS = 7; // sequence, numEnvs, numSteps, obsSize, policyVersion, latestVersion, episodes

export function encodeStepBatch(b: StepBatch): Buffer {
  const id = Buffer.from(b.actorId, 'utf8');
  const rows = b.numEnvs * b.numSteps;
  const size = NUMBERS * 8 + 4 + id.length + b.episodeReturns.length * 8 + rows * (8 * b.obsSize + 4 + 4 + 2);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const v of [b.sequence, b.numEnvs, b.numSteps, b.obsSize, b.policyVersion, b.latestVersion, b.episodeReturns.length]) {
    at = out.writeDoubleLE(v, at);
  }
  at = out.writeUInt32LE(id.length, at);
  at += id.copy(out, at);
  for (const r of b.episodeReturns) at = out.writeDoubleLE(r, at);
  for (const a of [b.obs, b.nextObs, b.actions, b.rewards, b.terminated, b.truncated]) {
    at += Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, at);
  }
  return out;
}

export function decodeStepBatch(bytes: Buffer): StepBatch {
  let at = 0;
  const num = (): number => {
    const v = bytes.readDoubleLE(at);
    at += 8;
    return v;
  };
  const [sequence, numEnvs, numSteps, obsSize, policyVersion, latestVersion, episodes] = Array.from({ length: NUMBERS }, num);
  const idLen = bytes.readUInt32LE(at);
  at += 4;
  const actorId = bytes.toString('utf8', at, at + idLen);
  at += idLen;
  const episodeReturns = Array.from({ length: episodes }, num);
  const rows = numEnvs * numSteps;
  const take = (n: number): ArrayBuffer => {
    const buf = new ArrayBuffer(n);
    bytes.copy(new Uint8Array(buf), 0, at, at + n);
    at += n;
    return buf;
  };
  const obs = new Float32Array(take(rows * obsSize * 4));
  const nextObs = new Float32Array(take(rows * obsSize * 4));
  const actions = new Int32Array(take(rows * 4));
  const rewards = new Float32Array(take(rows * 4));
  const terminated = new Uint8Array(take(rows));
  const truncated = new Uint8Array(take(rows));
  if (at !== bytes.length) throw new Error(`write-ahead log: a chunk record holds ${bytes.length} bytes, its fields ${at}`);
  return { actorId, sequence, numEnvs, numSteps, obsSize, obs, actions, rewards, nextObs, terminated, truncated, policyVersion, latestVersion, episodeReturns };
}
