/**
 * The learner's durability: checkpoints (algorithm parts + counters) and the write-ahead log of
 * chunks acknowledged since. At start the newest complete checkpoint is restored and the log after
 * it replayed, so everything acknowledged before a crash is back.
 */
import { join } from 'node:path';
import { decodeStepBatch } from '../ingest/batchCodec.js';
import { DedupIndex, type SequenceSetState } from '../ingest/sequenceSet.js';
import { WAL_CHUNK, WAL_PUBLISHED, WriteAheadLog } from '../ingest/wal.js';
import type { Learner, LearnerParts } from '../learner.js';
import { decodeVersion } from '../publishing.js';
import { CheckpointStore } from './store.js';

export interface LearnerCounters {
  algo: string;
  envId: string;
  updates: number;
  envSteps: number;
  publishedVersion: number;
  /** First write-ahead log segment not covered by this checkpoint. */
  walSegment: number;
  dedup: Record<string, SequenceSetState>;
  createdUnixMs: number;
}

type Log = LearnerParts['log'];

export class Checkpointing {
  private writing: Promise<string> | undefined;
  /** Log segment of the older of the two newest checkpoints: segments before it are not needed. */
  private keepSegmentsFrom: number;

  private constructor(
    readonly store: CheckpointStore<LearnerCounters>,
    readonly wal: WriteAheadLog,
    private lastSegment: number,
  ) {
    this.keepSegmentsFrom = lastSegment;
  }

  static async open(dir: string, learner: Learner, log: Log): Promise<Checkpointing> {
    const store = new CheckpointStore<LearnerCounters>(dir, 2, (msg) => log?.('warn', msg));
    const loaded = await store.loadLatest();
    const { algorithm, spec } = learner.parts;
    if (loaded !== undefined) {
      const c = loaded.counters;
      if (c.algo !== algorithm.name || c.envId !== spec.envId) {
        throw new Error(`checkpoint ${loaded.path} is for ${c.algo} on ${c.envId}; this learner runs ${algorithm.name} on ${spec.envId} (use another checkpoint dir)`);
      }
      await algorithm.restore(loaded.parts);
      learner.ingest.dedup = DedupIndex.from(c.dedup);
      learner.ingest.envSteps = c.envSteps;
      learner.publishing.restore(c.publishedVersion);
      learner.publishing.lastUpdates = algorithm.updates;
      log?.('info', 'resumed from checkpoint', { path: loaded.path, updates: c.updates, envSteps: c.envSteps, version: c.publishedVersion });
    }
    const fromSegment = loaded?.counters.walSegment ?? 0;
    const { wal, records } = await WriteAheadLog.open(join(dir, 'wal'), fromSegment);
    let chunks = 0;
    for (const r of records) {
      if (r.kind === WAL_CHUNK) {
        learner.ingest.recover(decodeStepBatch(r.payload));
        chunks++;
      } else if (r.kind === WAL_PUBLISHED) {
        learner.publishing.restore(decodeVersion(r.payload));
      }
    }
    if (records.length > 0) log?.('info', 'replayed the write-ahead log', { chunks, envSteps: learner.ingest.envSteps });
    learner.ingest.attachWal(wal);
    return new Checkpointing(store, wal, fromSegment);
  }

  /** Writes a checkpoint (one at a time; a call during a write waits for it and writes another). */
  async write(learner: Learner): Promise<string> {
    while (this.writing !== undefined) await this.writing.catch(() => undefined);
    this.writing = this.writeNow(learner);
    try {
      return await this.writing;
    } finally {
      this.writing = undefined;
    }
  }

  async close(): Promise<void> {
    await this.wal.close();
  }

  private async writeNow(learner: Learner): Promise<string> {
    const started = performance.now();
    const { algorithm, spec, metrics } = learner.parts;
    // One tick: rotate the log and read counters and replay, so the checkpoint covers exactly the
    // chunks logged in earlier segments.
    const walSegment = this.wal.rotate();
    const counters: LearnerCounters = {
      algo: algorithm.name,
      envId: spec.envId,
      updates: algorithm.updates,
      envSteps: learner.ingest.envSteps,
      publishedVersion: learner.publishing.version,
      walSegment,
      dedup: learner.ingest.dedup.state(),
      createdUnixMs: Date.now(),
    };
    const parts = await algorithm.state();
    const path = await this.store.write(counters, parts);
    this.keepSegmentsFrom = this.lastSegment;
    this.lastSegment = walSegment;
    await this.wal.deleteBefore(this.keepSegmentsFrom);
    metrics.checkpointSeconds.observe((performance.now() - started) / 1000);
    learner.parts.log?.('info', 'checkpoint written', { path, updates: counters.updates, envSteps: counters.envSteps, ms: Math.round(performance.now() - started) });
    return path;
  }
}
