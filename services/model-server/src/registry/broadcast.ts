/**
 * How a stored version reaches actors. The registry announces through this seam; NATS carries it
 * between processes, an in-process emitter inside one process.
 */
import type { WeightsMetadata__Output, WeightsUpdate } from '@reverie/transport';

export interface WeightsBroadcast {
  /** Sends a stored version to subscribers; resolves once it is announced. */
  announce(metadata: WeightsMetadata__Output, bytes: Uint8Array): Promise<void>;
  /** The store deleted these versions (keep-last-K): drop any copies the broadcast keeps. */
  forget?(policy: string, versions: number[]): Promise<void>;
  /** A version already stored at start-up: the newest for late joiners, without announcing it again. */
  prime?(update: WeightsUpdate): void;
  close?(): Promise<void>;
}
