/**
 * The learner core: a TrajectorySink that stores actors' chunks, a training loop that runs the
 * algorithm's updates while yielding to the event loop (so gRPC keeps flowing), weights published
 * every N updates and checkpoints every M. Network, process and signal handling live elsewhere
 * (server.ts, start.ts); this class is the same in one process and across processes.
 */
import { setImmediate as nextTick } from 'node:timers/promises';
import type { PushAck__Output, TrajectoryChunk, TrajectorySink, WeightsMetadata__Output, WeightsPublisher } from '@reverie/transport';
import type { LearnerAlgorithm } from './algo/types.js';
import type { ChunkSpec } from './ingest/decodeChunk.js';
import { TrajectoryIngest } from './ingest/trajectoryIngest.js';
import type { WriteAheadLog } from './ingest/wal.js';
import type { LearnerMetrics } from './metrics.js';
import { Publishing } from './publishing.js';
import { Checkpointing } from './checkpoint/checkpointing.js';

export interface TrainingOptions {
  /** Cap on updates per env step stored (e.g. 0.25: one update per 4 steps); 0 = no cap. */
  updatesPerStep: number;
  /** Publish the policy every this many updates. */
  publishEvery: number;
  /** Checkpoint every this many updates (when a checkpoint dir is set). */
  checkpointEvery: number;
  /** Longest run of updates before yielding to the event loop. */
  sliceMs: number;
  /** The policy name weights are published under. */
  policy: string;
}

export interface LearnerParts {
  algorithm: LearnerAlgorithm;
  spec: ChunkSpec;
  metrics: LearnerMetrics;
  training: TrainingOptions;
  backend: string;
  /** Where weights go; without one the learner numbers versions itself and keeps the newest. */
  publisher?: WeightsPublisher;
  checkpointDir?: string;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export interface LearnerStatusInfo {
  algo: string;
  envId: string;
  updates: number;
  envSteps: number;
  replaySize: number;
  publishedVersion: number;
  backend: string;
}

export class Learner implements TrajectorySink {
  readonly ingest: TrajectoryIngest;
  readonly publishing: Publishing;
  private checkpoints: Checkpointing | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private lastCheckpointUpdates = 0;

  private constructor(readonly parts: LearnerParts) {
    this.publishing = new Publishing(parts);
    this.ingest = new TrajectoryIngest({
      spec: parts.spec,
      algorithm: parts.algorithm,
      metrics: parts.metrics,
      publishedVersion: () => this.publishing.version,
      onStored: () => this.wake?.(),
    });
  }

  /** Builds a learner, resuming from the newest complete checkpoint and the log after it. */
  static async create(parts: LearnerParts): Promise<Learner> {
    const learner = new Learner(parts);
    if (parts.checkpointDir !== undefined) {
      learner.checkpoints = await Checkpointing.open(parts.checkpointDir, learner, parts.log);
      learner.lastCheckpointUpdates = parts.algorithm.updates;
    }
    parts.metrics.replaySize.set(parts.algorithm.replaySize);
    return learner;
  }

  get wal(): WriteAheadLog | undefined {
    return this.checkpoints?.wal;
  }

  push(chunk: TrajectoryChunk): Promise<PushAck__Output> {
    return this.ingest.push(chunk);
  }

  /** Stores the chunk now or throws ChunkError; the ack resolves once it is durable (see TrajectoryIngest). */
  accept(chunk: TrajectoryChunk): Promise<PushAck__Output> {
    return this.ingest.accept(chunk);
  }

  status(): LearnerStatusInfo {
    const { algorithm, spec, backend } = this.parts;
    return {
      algo: algorithm.name,
      envId: spec.envId,
      updates: algorithm.updates,
      envSteps: this.ingest.envSteps,
      replaySize: algorithm.replaySize,
      publishedVersion: this.publishing.version,
      backend,
    };
  }

  /** Publishes the current policy now (version from the publisher). */
  publish(): Promise<WeightsMetadata__Output | undefined> {
    return this.publishing.publish(this.parts.algorithm, this.wal);
  }

  /** Writes a checkpoint now (no-op without a checkpoint dir); training must not be mid-update. */
  async checkpoint(): Promise<string | undefined> {
    const path = await this.checkpoints?.write(this);
    this.lastCheckpointUpdates = this.parts.algorithm.updates;
    return path;
  }

  /** Starts the training loop (publishes a first version if none was ever published). */
  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.loop = this.run().catch((err: unknown) => {
      this.parts.log?.('error', 'training loop failed', { err: err instanceof Error ? err.message : String(err) });
    });
  }

  /** Stops the training loop after the update in progress. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /** Stops training, writes a final checkpoint, closes the log. */
  async close(opts: { checkpoint?: boolean } = {}): Promise<void> {
    await this.stop();
    if (opts.checkpoint ?? true) await this.checkpoint();
    await this.checkpoints?.close();
    this.parts.algorithm.dispose();
  }

  private canUpdate(): boolean {
    const { algorithm, training } = this.parts;
    if (!algorithm.ready()) return false;
    return training.updatesPerStep <= 0 || algorithm.updates < this.ingest.envSteps * training.updatesPerStep;
  }

  private async run(): Promise<void> {
    const { algorithm, metrics, training } = this.parts;
    if (this.publishing.version === 0) await this.publish();
    while (!this.stopping) {
      if (!this.canUpdate()) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      const deadline = performance.now() + training.sliceMs;
      do {
        const started = performance.now();
        const losses = algorithm.update();
        metrics.updateSeconds.observe((performance.now() - started) / 1000);
        metrics.updates.inc();
        metrics.samples.inc(algorithm.samplesPerUpdate);
        for (const [component, value] of Object.entries(losses)) metrics.loss.set({ component }, value);
      } while (!this.stopping && this.canUpdate() && performance.now() < deadline && !this.due());
      await this.afterUpdates();
      await nextTick();
    }
  }

  private due(): boolean {
    const { algorithm, training } = this.parts;
    return algorithm.updates - this.publishing.lastUpdates >= training.publishEvery ||
      (this.checkpoints !== undefined && algorithm.updates - this.lastCheckpointUpdates >= training.checkpointEvery);
  }

  private async afterUpdates(): Promise<void> {
    const { algorithm, training } = this.parts;
    if (algorithm.updates - this.publishing.lastUpdates >= training.publishEvery) await this.publish();
    if (this.checkpoints !== undefined && algorithm.updates - this.lastCheckpointUpdates >= training.checkpointEvery) {
      await this.checkpoint();
    }
  }
}
