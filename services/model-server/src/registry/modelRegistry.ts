/**
 * The model-server's core: stores each published version, tells in-process listeners (the policy
 * server's hot swap) and broadcasts it to actors. The same object serves gRPC publishers and an
 * in-process learner (it is a WeightsPublisher).
 */
import type { WeightsMetadata, WeightsMetadata__Output, WeightsPublisher } from '@reverie/transport';
import type { Logger } from '@reverie/telemetry';
import type { Policy } from '@reverie/policy';
import type { ModelServerMetrics } from '../metrics.js';
import { toWire, type VersionRecord } from '../store/record.js';
import type { WeightStore } from '../store/weightStore.js';
import type { WeightsBroadcast } from './broadcast.js';

/** `policy`: the decoded policy when the version is a policy file. */
export type VersionListener = (record: VersionRecord, bytes: Uint8Array, policy?: Policy) => void;

export interface ModelRegistryDeps {
  store: WeightStore;
  broadcast: WeightsBroadcast;
  metrics?: ModelServerMetrics;
  logger?: Logger;
}

export class ModelRegistry implements WeightsPublisher {
  readonly store: WeightStore;
  private readonly listeners = new Set<VersionListener>();
  /** Per policy, the newest version whose broadcast failed (cleared when a later one is announced). */
  private readonly unannounced = new Map<string, number>();

  private constructor(private readonly deps: ModelRegistryDeps) {
    this.store = deps.store;
  }

  /** A registry over an opened store; the broadcast learns each policy's newest stored version. */
  static async open(deps: ModelRegistryDeps): Promise<ModelRegistry> {
    const registry = new ModelRegistry(deps);
    for (const policy of deps.store.policies()) {
      const { record, bytes } = await deps.store.read(policy, 0);
      deps.broadcast.prime?.({ metadata: toWire(record), bytes });
      registry.recordGauges(record);
    }
    return registry;
  }

  /** Called synchronously with each newly stored version, before it is broadcast. */
  onVersion(listener: VersionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stores (while the broadcast uploads the payload, when it can), swaps the policy server to the new
   * version, then announces. Resolves with the metadata as stored once the version is announced; a failed
   * broadcast is logged and counted, not thrown: the version is stored and late joiners get it over gRPC.
   */
  async publish(metadata: WeightsMetadata, bytes: Uint8Array): Promise<WeightsMetadata__Output> {
    const started = performance.now();
    const { broadcast } = this.deps;
    let stageFailure: { err: unknown } | undefined;
    const alongside = broadcast.stage
      ? (record: VersionRecord) =>
          broadcast.stage!(toWire(record), bytes).catch((err: unknown) => {
            stageFailure = { err };
          })
      : undefined;
    const { record, evicted, policy } = await this.store.publish(metadata, bytes, alongside);
    this.notify(record, bytes, policy);
    await this.announce(record, bytes, started, stageFailure);
    if (evicted.length > 0) await this.forget(record.policy, evicted);
    this.deps.logger?.info({ policy: record.policy, version: record.version, bytes: record.sizeBytes, evicted }, 'weights version stored');
    return toWire(record);
  }

  private notify(record: VersionRecord, bytes: Uint8Array, policy: Policy | undefined): void {
    this.deps.metrics?.versionsPublished.inc({ policy: record.policy });
    this.recordGauges(record);
    for (const listener of this.listeners) {
      try {
        listener(record, bytes, policy);
      } catch (err) {
        this.deps.logger?.error({ policy: record.policy, version: record.version, err: String(err) }, 'version listener failed');
      }
    }
  }

  private async announce(record: VersionRecord, bytes: Uint8Array, started: number, stageFailure?: { err: unknown }): Promise<void> {
    const { metrics, logger, broadcast } = this.deps;
    try {
      if (stageFailure) throw stageFailure.err;
      await broadcast.announce(toWire(record), bytes);
      metrics?.broadcastSeconds.observe({ policy: record.policy }, (performance.now() - started) / 1000);
      if ((this.unannounced.get(record.policy) ?? Infinity) <= record.version) this.unannounced.delete(record.policy);
    } catch (err) {
      this.unannounced.set(record.policy, Math.max(record.version, this.unannounced.get(record.policy) ?? 0));
      metrics?.broadcastFailures.inc({ policy: record.policy });
      logger?.error({ policy: record.policy, version: record.version, err: String(err) }, 'broadcast of a stored version failed');
    }
  }

  /**
   * Announces again, for each policy whose newest broadcast failed (NATS was away), its newest stored
   * version, so subscribers that never lost NATS do not wait for the next publish. Called on reconnect.
   */
  async retryFailedBroadcasts(): Promise<void> {
    for (const policy of [...this.unannounced.keys()]) {
      const { record, bytes } = await this.store.read(policy, 0);
      this.deps.logger?.info({ policy, version: record.version }, 'announcing the newest version again after a failed broadcast');
      await this.announce(record, bytes, performance.now());
    }
  }

  private async forget(policy: string, versions: number[]): Promise<void> {
    try {
      await this.deps.broadcast.forget?.(policy, versions);
    } catch (err) {
      this.deps.logger?.warn({ policy, versions, err: String(err) }, 'could not delete evicted versions from the broadcast');
    }
  }

  private recordGauges(record: VersionRecord): void {
    this.deps.metrics?.latestVersion.set({ policy: record.policy }, record.version);
    this.deps.metrics?.weightBytes.set({ policy: record.policy }, record.sizeBytes);
  }

  list(policy?: string): WeightsMetadata__Output[] {
    return this.store.list(policy).map(toWire);
  }

  async read(policy: string, version = 0): Promise<{ metadata: WeightsMetadata__Output; bytes: Uint8Array }> {
    const { record, bytes } = await this.store.read(policy, version);
    return { metadata: toWire(record), bytes };
  }
}
