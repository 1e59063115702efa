/**
 * A TransitionReplay fed from StepBatches, with its contents as a safetensors file for checkpoints.
 * Rows are saved oldest first, so restoring into a buffer of any capacity keeps the newest ones.
 */
import { decodeSafetensors, encodeSafetensors, TransitionReplay, type SafeTensor } from '@reverie/core';
import type { StepBatch } from '../ingest/stepBatch.js';

export class TransitionStore {
  readonly replay: TransitionReplay;
  /** add() calls on `replay` since it was created: the next slot is added % capacity. */
  private added = 0;
  private readonly obsRow: Float32Array;
  private readonly nextRow: Float32Array;

  constructor(capacity: number, readonly obsSize: number) {
    this.replay = new TransitionReplay({ capacity, obsSize, actionSize: 1 });
    this.obsRow = new Float32Array(obsSize);
    this.nextRow = new Float32Array(obsSize);
  }

  get size(): number {
    return this.replay.size;
  }

  /** Copies every row in (rows were validated; the scratch rows avoid a view per row). */
  addBatch(b: StepBatch): void {
    const o = this.obsSize;
    const rows = b.numEnvs * b.numSteps;
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < o; k++) {
        this.obsRow[k] = b.obs[r * o + k];
        this.nextRow[k] = b.nextObs[r * o + k];
      }
      this.replay.add(this.obsRow, b.actions[r], b.rewards[r], this.nextRow, b.terminated[r] === 1, b.truncated[r] === 1);
      this.added++;
    }
  }

  toSafetensors(): Uint8Array {
    const { replay, obsSize: o } = this;
    const n = replay.size;
    const oldest = n < replay.capacity ? 0 : this.added % replay.capacity;
    const ordered = <T extends Float32Array | Uint8Array>(src: T, width: number): T => {
      const out = src.slice(0, n * width) as T;
      out.set(src.subarray(oldest * width, n * width), 0);
      out.set(src.subarray(0, oldest * width), (n - oldest) * width);
      return out;
    };
    const tensors: Record<string, SafeTensor> = {
      obs: { dtype: 'F32', shape: [n, o], data: ordered(replay.obs, o) },
      next_obs: { dtype: 'F32', shape: [n, o], data: ordered(replay.nextObs, o) },
      actions: { dtype: 'F32', shape: [n], data: ordered(replay.actions, 1) },
      rewards: { dtype: 'F32', shape: [n], data: ordered(replay.rewards, 1) },
      terminated: { dtype: 'BOOL', shape: [n], data: ordered(replay.terminated, 1) },
      truncated: { dtype: 'BOOL', shape: [n], data: ordered(replay.truncated, 1) },
    };
    return encodeSafetensors(tensors, { kind: 'transition-replay', obs_size: String(o) });
  }

  /** Replaces the contents with a saved replay (the newest rows when it held more than fit). */
  restore(bytes: Uint8Array): void {
    const { tensors, metadata } = decodeSafetensors(bytes);
    if (metadata.obs_size !== String(this.obsSize)) {
      throw new Error(`replay checkpoint: observation size ${metadata.obs_size}, this learner's is ${this.obsSize}`);
    }
    const f32 = (name: string): Float32Array => {
      const t = tensors[name];
      if (t === undefined || !(t.data instanceof Float32Array)) throw new Error(`replay checkpoint: '${name}' is missing or not F32`);
      return t.data;
    };
    const u8 = (name: string): Uint8Array => {
      const t = tensors[name];
      if (t === undefined || t.dtype !== 'BOOL' || !(t.data instanceof Uint8Array)) throw new Error(`replay checkpoint: '${name}' is missing or not BOOL`);
      return t.data;
    };
    const [obs, next, actions, rewards, term, trunc] = [f32('obs'), f32('next_obs'), f32('actions'), f32('rewards'), u8('terminated'), u8('truncated')];
    const o = this.obsSize;
    this.replay.clear();
    this.added = 0;
    for (let i = Math.max(0, rewards.length - this.replay.capacity); i < rewards.length; i++) {
      this.replay.add(obs.subarray(i * o, (i + 1) * o), actions[i], rewards[i], next.subarray(i * o, (i + 1) * o), term[i] === 1, trunc[i] === 1);
      this.added++;
    }
  }
}
