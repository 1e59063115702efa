/**
 * The broadcast between processes (transport's weights bus): a payload that fits in one NATS
 * message travels inline in its announcement on `reverie.weights.<policy>`; a larger one goes to the
 * JetStream object store, uploaded while the store writes it to disk (`stage`), and the announcement
 * names it. Evicted versions are deleted from the object store too, so it never holds more than the
 * disk store's last K.
 */
import {
  announceStored,
  deleteWeightsObject,
  fitsInline,
  openWeightsStore,
  publishWeights,
  weightsObjectName,
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

  private readonly objectStore = (): Promise<ObjectStore> => {
    this.store ??= openWeightsStore(this.nc).catch((err: unknown) => {
      this.store = undefined; // retry on the next announcement
      throw err;
    });
    return this.store;
  };

  async stage(metadata: WeightsMetadata__Output, bytes: Uint8Array): Promise<void> {
    if (fitsInline(this.nc, bytes.byteLength)) return;
    const name = weightsObjectName(metadata.policy, metadata.version);
    await (await this.objectStore()).putBlob({ name }, bytes);
    this.staged.add(name);
  }

  async announce(metadata: WeightsMetadata__Output, bytes: Uint8Array): Promise<void> {
    const name = weightsObjectName(metadata.policy, metadata.version);
    if (this.staged.delete(name)) await announceStored(this.nc, metadata, name);
    else await publishWeights(this.nc, this.objectStore, metadata, bytes);
  }

  async forget(policy: string, versions: number[]): Promise<void> {
    // Deleting a version that went inline (never stored there) is a no-op.
    const store = await this.objectStore();
    for (const v of versions) await deleteWeightsObject(store, policy, v);
  }
}
