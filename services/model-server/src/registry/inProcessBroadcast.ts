/**
 * The broadcast of the single-process mode: an in-memory emitter that is also the actors' WeightsFeed.
 * Each subscriber gets versions in order through its own queue, so a slow one delays nobody else.
 */
import type { WeightsFeed, WeightsMetadata__Output, WeightsUpdate } from '@reverie/transport';
import type { WeightsBroadcast } from './broadcast.js';

type Listener = (u: WeightsUpdate) => Promise<void> | void;

interface Subscriber {
  onUpdate: Listener;
  queue: Promise<void>;
}

export class InProcessWeightsBroadcast implements WeightsBroadcast, WeightsFeed {
  private readonly newest = new Map<string, WeightsUpdate>();
  private readonly subscribers = new Map<string, Set<Subscriber>>();

  constructor(private readonly onListenerError: (err: unknown) => void = () => undefined) {}

  async announce(metadata: WeightsMetadata__Output, bytes: Uint8Array): Promise<void> {
    const update: WeightsUpdate = { metadata, bytes };
    this.prime(update);
    for (const s of this.subscribers.get(metadata.policy) ?? []) {
      s.queue = s.queue.then(() => s.onUpdate(update)).catch(this.onListenerError);
    }
  }

  prime(update: WeightsUpdate): void {
    const current = this.newest.get(update.metadata.policy);
    if (!current || current.metadata.version < update.metadata.version) this.newest.set(update.metadata.policy, update);
  }

  async latest(policy: string): Promise<WeightsUpdate | undefined> {
    return this.newest.get(policy);
  }

  subscribe(policy: string, onUpdate: Listener): () => void {
    const s: Subscriber = { onUpdate, queue: Promise.resolve() };
    const set = this.subscribers.get(policy) ?? new Set<Subscriber>();
    set.add(s);
    this.subscribers.set(policy, set);
    return () => set.delete(s);
  }
}
