import type { TrajectorySink } from '@reverie/transport';
import type { TrajectoryChunk } from '../rollout/trajectoryAssembler.js';
import { toChunkMessage, type ChunkIdentity } from './chunkMessage.js';
import type { ChunkSender, SenderEvents } from './trajectorySender.js';

export interface SinkSenderOptions extends ChunkIdentity {
  /** The learner in the same process. */
  sink: TrajectorySink;
  window: number;
  latestVersion: () => number;
  events?: SenderEvents;
}

/**
 * Hands chunks to an in-process TrajectorySink (the learner itself, in a single-process run) with
 * the same window and release-on-ack contract as the gRPC sender. Nothing can be lost in transit,
 * so there is no resend: a chunk whose push fails is dropped and reported as rejected.
 */
export class SinkSender implements ChunkSender {
  private pending = 0;
  private ackCount = 0;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly options: SinkSenderOptions) {
    if (!Number.isInteger(options.window) || options.window <= 0) throw new Error(`SinkSender: window must be a positive integer, got ${options.window}`);
  }

  get inFlight(): number {
    return this.pending;
  }

  get acknowledged(): number {
    return this.ackCount;
  }

  async send(chunk: TrajectoryChunk): Promise<void> {
    while (this.pending >= this.options.window && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.closed) throw new Error('SinkSender: send() after close()');
    const message = toChunkMessage(chunk, this.options, this.options.latestVersion());
    this.pending++;
    this.options.events?.sent?.(chunk);
    this.options.sink.push(message).then(
      (ack) => {
        this.ackCount++;
        this.options.events?.acked?.(ack);
      },
      (err: unknown) => this.options.events?.rejected?.(chunk.sequence, err instanceof Error ? err.message : String(err)),
    ).finally(() => {
      this.pending--;
      chunk.release();
      this.wake();
    });
  }

  /** Waits up to `timeoutMs` for pushes in progress; returns how many had not finished. */
  async close(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    this.closed = true;
    this.wake();
    return this.pending;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
