/**
 * The broadcast between processes: the payload goes to the JetStream object store and a small
 * announcement to `reverie.weights.<policy>` (transport's weights bus). Evicted versions are
 * deleted from the object store too, so it holds the same last K versions as the disk store.
 */
import {
  deleteWeightsObject,
  openWeightsStore,
  publishWeights,
  type NatsConnection,
  type ObjectStore,
  type WeightsMetadata__Output,
} from '@reverie/transport';
import type { WeightsBroadcast } from './broadcast.js';

export class NatsWeightsBroadcast implements WeightsBroadcast {
  private store?: Promise<ObjectStore>;

  constructor(private readonly nc: NatsConnection) {}

  private objectStore(): Promise<ObjectStore> {
    this.store ??= openWeightsStore(this.nc).catch((err: unknown) => {
      this.store = undefined; // retry on the next announcement
      throw err;
    });
    return this.store;
  }

  async announce(metadata: WeightsMetadata__Output, bytes: Uint8Array): Promise<void> {
    await publishWeights(this.nc, await this.objectStore(), metadata, bytes);
  }

  async forget(policy: string, versions: number[]): Promise<void> {
    const store = await this.objectStore();
    for (const v of versions) await deleteWeightsObject(store, policy, v);
  }

}
