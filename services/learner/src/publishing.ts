/**
 * Publishing the learner's policy: builds the metadata, sends the policy file through the injected
 * WeightsPublisher (the model-server assigns versions) and remembers the newest version, durably in
 * the write-ahead log, so versions keep increasing across restarts. Without a publisher the learner
 * numbers versions itself and keeps the newest file in memory (single-process use, tests).
 */
import { sha256Hex, type WeightsMetadata, type WeightsMetadata__Output, type WeightsPublisher } from '@reverie/transport';
import type { LearnerAlgorithm } from './algo/types.js';
import { WAL_PUBLISHED, type WriteAheadLog } from './ingest/wal.js';
import type { LearnerParts } from './learner.js';

export interface PublishedWeights {
  metadata: WeightsMetadata__Output;
  bytes: Uint8Array;
}

export function encodeVersion(version: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(version, 0);
  return b;
}

export function decodeVersion(payload: Buffer): number {
  return payload.readDoubleLE(0);
}

export class Publishing {
  /** Newest version published (0 before the first). */
  version = 0;
  /** Algorithm updates at the last publish attempt. */
  lastUpdates = 0;
  /** The newest policy file and its metadata as stored. */
  latest: PublishedWeights | undefined;

  constructor(private readonly parts: Pick<LearnerParts, 'publisher' | 'metrics' | 'training' | 'spec' | 'log'>) {}

  /** Raises the version floor (from a checkpoint or the log); versions never go back. */
  restore(version: number): void {
    this.version = Math.max(this.version, version);
    this.parts.metrics.publishedVersion.set(this.version);
  }

  async publish(algorithm: LearnerAlgorithm, wal: WriteAheadLog | undefined): Promise<WeightsMetadata__Output | undefined> {
    const { metrics, publisher, log } = this.parts;
    this.lastUpdates = algorithm.updates;
    const updates = String(algorithm.updates);
    const bytes = algorithm.policyWeights({ env_id: this.parts.spec.envId, updates });
    const metadata: WeightsMetadata = {
      policy: this.parts.training.policy,
      version: 0, // the model-server assigns the next version
      algo: algorithm.name,
      envId: this.parts.spec.envId,
      sha256: sha256Hex(bytes),
      sizeBytes: bytes.byteLength,
      createdUnixMs: Date.now(),
      labels: { updates },
    };
    let stored: WeightsMetadata__Output;
    try {
      stored = publisher === undefined ? this.numberLocally(metadata) : await publisher.publish(metadata, bytes);
    } catch (err) {
      metrics.publishes.inc({ result: 'error' });
      log?.('warn', 'publishing weights failed; training goes on', { err: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
    if (stored.version <= this.version) {
      log?.('warn', 'the publisher returned a version not above the last one', { version: stored.version, last: this.version });
    }
    this.restore(stored.version);
    this.latest = { metadata: stored, bytes };
    await wal?.append(WAL_PUBLISHED, encodeVersion(this.version));
    metrics.publishes.inc({ result: 'ok' });
    metrics.weightsBytes.set(bytes.byteLength);
    log?.('info', 'published weights', { version: stored.version, updates: algorithm.updates, bytes: bytes.byteLength });
    return stored;
  }

  private numberLocally(m: WeightsMetadata): WeightsMetadata__Output {
    return {
      policy: m.policy ?? '',
      version: this.version + 1,
      algo: m.algo ?? '',
      envId: m.envId ?? '',
      sha256: m.sha256 ?? '',
      sizeBytes: Number(m.sizeBytes ?? 0),
      createdUnixMs: Number(m.createdUnixMs ?? 0),
      labels: { ...m.labels },
    };
  }
}
