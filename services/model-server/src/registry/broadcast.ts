/**
 * How a stored version reaches actors. The registry announces through this seam; NATS carries it
 * between processes, an in-process emitter inside one process.
 */
import type { WeightsMetadata__Output, WeightsUpdate } from '@reverie/transport';

export interface WeightsBroadcast {
  /**
   * Optional head start: uploads a version's payload while the store writes it to disk. Nothing is
   * announced until `announce`, which then only needs to send the announcement.
   */
  stage?(metadata: WeightsMetadata__Output, bytes: Uint8Array): Promise<void>;
  /** Sends a stored version to subscribers (uploading it first unless staged); resolves once announced. */
  announce(metadata: WeightsMetadata__Output, bytes: Uint8Array): Promise<void>;
  /** The store deleted these versions (keep-last-K): drop any copies the broadcast keeps. */
  forget?(policy: string, versions: number[]): Promise<void>;
  /** A version already stored at start-up: the newest for late joiners, without announcing it again. */
  prime?(update: WeightsUpdate): void;
  close?(): Promise<void>;
}
