/**
 * The broadcast between processes: the payload goes to the JetStream object store and a small
 * announcement to `reverie.weights.<policy>` (transport's weights bus). Evicted versions are
 * deleted from the object store too, so it holds the same last K versions as the disk store.
 * The upload runs while the store writes to disk (`stage`); the announcement goes out after both.
 */
import {
  deleteWeightsObject,
  encodeAnnouncement,
  openWeightsStore,
  publishWeights,
  WEIGHTS_BUCKET,
  weightsObjectName,
  weightsSubject,
  type NatsConnection,
  type ObjectStore,
  type WeightsMetadata__Output,
} from '@reverie/transport';
import type { WeightsBroadcast } from './broadcast.js';

export class NatsWeightsBroadcast implements WeightsBroadcast {
  private store?: Promise<ObjectStore>;
  /** Object names uploaded by `stage` and not announced yet. */
  private readonly staged = new Set<string>();

  constructor(private readonly nc: NatsConnection) {}

  private objectStore(): Promise<ObjectStore> {
    this.store ??= openWeightsStore(this.nc).catch((err: unknown) => {
      this.store = undefined; // retry on the next announcement
      throw err;
    });
    return this.store;
  }

  async stage(metadata: WeightsMetadata__Output, bytes: Uint8Array): Promise<void> {
    const name = weightsObjectName(metadata.policy, metadata.version);
    await (await this.objectStore()).putBlob({ name }, bytes);
    this.staged.add(name);
  }

  async announce(metadata: WeightsMetadata__Output, bytes: Uint8Array): Promise<void> {
    const name = weightsObjectName(metadata.policy, metadata.version);
    if (!this.staged.delete(name)) {
      await publishWeights(this.nc, await this.objectStore(), metadata, bytes);
      return;
    }
    // the payload is in the object store already: only the announcement is left
    this.nc.publish(weightsSubject(metadata.policy), encodeAnnouncement({ metadata, objectBucket: WEIGHTS_BUCKET, objectName: name }));
    await this.nc.flush();
  }

  async forget(policy: string, versions: number[]): Promise<void> {
    const store = await this.objectStore();
    for (const v of versions) await deleteWeightsObject(store, policy, v);
  }
}
