/**
 * Chunk intake: validate, drop duplicates by (actor id, sequence), log durably, store. The ack for a
 * chunk resolves only once it is in the write-ahead log on disk, so an acknowledged chunk survives
 * a kill -9 (see wal.ts). Storing happens synchronously in arrival order, before the fsync, so the
 * trainer sees data at once and a checkpoint snapshot is always consistent with the log rotation.
 */
import type { PushAck__Output, TrajectoryChunk } from '@reverie/transport';
import type { LearnerAlgorithm } from '../algo/types.js';
import type { LearnerMetrics } from '../metrics.js';
import { encodeStepBatch } from './batchCodec.js';
import { decodeChunk, type ChunkSpec } from './decodeChunk.js';
import { DedupIndex } from './sequenceSet.js';
import { stepCount, type StepBatch } from './stepBatch.js';
import { WAL_CHUNK, type WriteAheadLog } from './wal.js';

export interface TrajectoryIngestOptions {
  spec: ChunkSpec;
  algorithm: LearnerAlgorithm;
  metrics: LearnerMetrics;
  /** Without a log, acks mean "in memory" (tests, throwaway runs). */
  wal?: WriteAheadLog;
  /** The learner's newest published version, for the learner-side policy lag. */
  publishedVersion: () => number;
  /** Called after each stored chunk (wakes the training loop). */
  onStored?: () => void;
}

export class TrajectoryIngest {
  dedup = new DedupIndex();
  /** Env steps stored so far (duplicates excluded). */
  envSteps = 0;
  /** Settles when every append made so far is on disk. */
  private durableTail: Promise<void> = Promise.resolve();
  private wal: WriteAheadLog | undefined;

  constructor(private readonly o: TrajectoryIngestOptions) {
    this.wal = o.wal;
  }

  /** Logs every chunk stored from now on (set once recovery from the log is done). */
  attachWal(wal: WriteAheadLog): void {
    this.wal = wal;
  }

  /** Validates and stores a chunk; rejects with ChunkError (→ INVALID_ARGUMENT) for a bad one. */
  async push(chunk: TrajectoryChunk): Promise<PushAck__Output> {
    return this.accept(chunk);
  }

  /**
   * The synchronous half of `push`: validates and stores the chunk now (throwing ChunkError for a
   * bad one, before anything is stored) and returns the ack, which resolves once the chunk is on
   * disk. A stream can accept its next chunk before the previous ack resolves, so several chunks
   * share one fsync.
   */
  accept(chunk: TrajectoryChunk): Promise<PushAck__Output> {
    const { metrics } = this.o;
    let batch: StepBatch;
    try {
      batch = decodeChunk(chunk, this.o.spec);
    } catch (err) {
      metrics.chunks.inc({ result: 'rejected' });
      throw err;
    }
    if (!this.dedup.add(batch.actorId, batch.sequence)) {
      metrics.chunks.inc({ result: 'duplicate' });
      // The first copy may still be on its way to disk: ack the duplicate only once it is there.
      return this.durableTail.then(() => this.ack(batch, true));
    }
    const durable = this.wal?.append(WAL_CHUNK, encodeStepBatch(batch));
    if (durable !== undefined) this.durableTail = durable.catch(() => undefined);
    this.store(batch);
    if (durable === undefined) return Promise.resolve(this.ack(batch, false));
    return durable.then(() => this.ack(batch, false));
  }

  /** Re-applies a chunk read back from the write-ahead log at start-up (it is already durable). */
  recover(batch: StepBatch): void {
    if (this.dedup.add(batch.actorId, batch.sequence)) this.store(batch);
  }

  private store(batch: StepBatch): void {
    const { metrics, algorithm } = this.o;
    algorithm.ingest(batch);
    const steps = stepCount(batch);
    this.envSteps += steps;
    metrics.chunks.inc({ result: 'stored' });
    metrics.envSteps.inc(steps);
    metrics.replaySize.set(algorithm.replaySize);
    metrics.policyLag.observe({ source: 'actor' }, Math.max(0, batch.latestVersion - batch.policyVersion));
    metrics.policyLag.observe({ source: 'learner' }, Math.max(0, this.o.publishedVersion() - batch.policyVersion));
    for (const r of batch.episodeReturns) metrics.episodeReturn.observe(r);
    this.o.onStored?.();
  }

  private ack(batch: StepBatch, duplicate: boolean): PushAck__Output {
    return { actorId: batch.actorId, sequence: batch.sequence, duplicate, replaySize: this.o.algorithm.replaySize };
  }
}
