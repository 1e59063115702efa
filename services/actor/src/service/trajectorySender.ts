import { GrpcStatus, type LearnerServiceClient, type PushAck__Output, type TrajectoryChunk as ChunkMessage } from '@reverie/transport';
import type { TrajectoryChunk } from '../rollout/trajectoryAssembler.js';
import { toChunkMessage, type ChunkIdentity } from './chunkMessage.js';

/** A `LearnerService.PushTrajectories` call: chunks out, acks in. */
export type PushStream = ReturnType<LearnerServiceClient['PushTrajectories']>;

/** What the sender reports; the service turns these into metrics and logs. */
export interface SenderEvents {
  sent?(chunk: TrajectoryChunk): void;
  acked?(ack: PushAck__Output): void;
  resent?(count: number): void;
  /** The learner refused a chunk as malformed (INVALID_ARGUMENT); it is dropped, not resent. */
  rejected?(sequence: number, reason: string): void;
  reconnecting?(delayMs: number, reason: string): void;
}

/** What the actor needs of a sender: bounded sends, release on ack, a flushing close. */
export interface ChunkSender {
  /** Resolves once the chunk is accepted (there was room in the window). */
  send(chunk: TrajectoryChunk): Promise<void>;
  /** Flushes for up to `timeoutMs`; resolves with the number of chunks left unacknowledged. */
  close(timeoutMs?: number): Promise<number>;
  readonly inFlight: number;
  readonly acknowledged: number;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export interface TrajectorySenderOptions extends ChunkIdentity {
  /** Opens a new PushTrajectories call (first connect and every reconnect). */
  openStream: () => PushStream;
  /** Chunks sent and not yet acknowledged, at most; `send` waits for room. */
  window: number;
  /** The newest weight version heard of, stamped on each chunk as it is sent. */
  latestVersion: () => number;
  backoff?: BackoffOptions;
  events?: SenderEvents;
}

interface Unacked {
  chunk: TrajectoryChunk;
  message: ChunkMessage;
  /** Written on some stream already: writing it again is a resend. */
  written: boolean;
}

/** Errors that resending cannot fix: the sender stops and `send` rejects with them. */
const FATAL = new Set<number>([GrpcStatus.UNAUTHENTICATED, GrpcStatus.PERMISSION_DENIED, GrpcStatus.UNIMPLEMENTED]);

/**
 * Streams trajectory chunks to the learner with back-pressure and at-least-once delivery. At most
 * `window` chunks are unacknowledged; each stays held (its buffers unreleased) until its ack, and
 * after a broken stream every unacknowledged chunk is sent again on a new stream, opened after an
 * exponential backoff (reset by the first ack). The learner stores a resent (actor_id, sequence) once.
 */
export class TrajectorySender implements ChunkSender {
  private readonly unacked = new Map<number, Unacked>();
  private stream: PushStream | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private fatal: Error | undefined;
  private closed = false;
  private waiters: (() => void)[] = [];
  private readonly backoff: BackoffOptions;
  private ackCount = 0;

  constructor(private readonly options: TrajectorySenderOptions) {
    if (!Number.isInteger(options.window) || options.window <= 0) throw new Error(`TrajectorySender: window must be a positive integer, got ${options.window}`);
    this.backoff = options.backoff ?? { initialMs: 100, maxMs: 10_000 };
  }

  /** Chunks the learner has acknowledged so far. */
  get acknowledged(): number {
    return this.ackCount;
  }

  /** Chunks sent and not yet acknowledged. */
  get inFlight(): number {
    return this.unacked.size;
  }

  /** Sends `chunk` once the window has room; the sender releases it when the learner acknowledges it. */
  async send(chunk: TrajectoryChunk): Promise<void> {
    while (this.unacked.size >= this.options.window && this.fatal === undefined && !this.closed) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.fatal) throw this.fatal;
    if (this.closed) throw new Error('TrajectorySender: send() after close()');
    const message = toChunkMessage(chunk, this.options, this.options.latestVersion());
    const entry = { chunk, message, written: this.stream !== undefined };
    this.unacked.set(chunk.sequence, entry);
    this.options.events?.sent?.(chunk);
    if (this.stream) this.stream.write(message);
    else if (this.reconnectTimer === undefined) this.connect(); // idle without a stream: open one now
  }

  /**
   * Waits up to `timeoutMs` for every chunk to be acknowledged, then ends the stream. Returns how
   * many chunks were still unacknowledged (and are released unsent).
   */
  async close(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.unacked.size > 0 && this.fatal === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(20, Math.max(1, deadline - Date.now()))));
    }
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const stream = this.stream;
    this.stream = undefined;
    if (stream && this.unacked.size > 0) stream.cancel();
    else stream?.end();
    const lost = this.unacked.size;
    for (const { chunk } of this.unacked.values()) chunk.release();
    this.unacked.clear();
    this.wake();
    return lost;
  }

  /** Opens a stream and (re)sends every unacknowledged chunk on it, oldest first. */
  private connect(): void {
    const stream = this.options.openStream();
    this.stream = stream;
    stream.on('data', (ack: PushAck__Output) => this.onAck(ack));
    stream.on('error', (error: Error & { code?: number }) => this.onBroken(stream, error));
    stream.on('end', () => this.onBroken(stream, undefined));
    let resent = 0;
    for (const entry of this.unacked.values()) {
      if (entry.written) resent++;
      entry.written = true;
      stream.write(entry.message);
    }
    if (resent > 0) this.options.events?.resent?.(resent);
  }

  private onAck(ack: PushAck__Output): void {
    const entry = this.unacked.get(Number(ack.sequence));
    if (entry === undefined) return; // an ack for a chunk resent and already acknowledged
    this.unacked.delete(Number(ack.sequence));
    this.attempt = 0;
    this.ackCount++;
    entry.chunk.release();
    this.options.events?.acked?.(ack);
    this.wake();
  }

  private onBroken(stream: PushStream, error: (Error & { code?: number }) | undefined): void {
    if (stream !== this.stream) return; // a stream already replaced (its error and end both arrive)
    this.stream = undefined;
    if (this.closed) return;
    const reason = error ? error.message : 'the learner ended the stream';
    if (error?.code !== undefined && FATAL.has(error.code)) {
      this.fatal = new Error(`PushTrajectories failed: ${error.message}`);
      this.wake();
      return;
    }
    if (error?.code === GrpcStatus.INVALID_ARGUMENT) this.dropOldest(reason);
    if (this.unacked.size > 0) this.scheduleReconnect(reason);
  }

  /** The learner stores chunks in order and acks each, so the one it refused is the oldest unacked. */
  private dropOldest(reason: string): void {
    const oldest = this.unacked.entries().next();
    if (oldest.done) return;
    const [sequence, { chunk }] = oldest.value;
    this.unacked.delete(sequence);
    chunk.release();
    this.options.events?.rejected?.(sequence, reason);
    this.wake();
  }

  private scheduleReconnect(reason: string): void {
    const { initialMs, maxMs } = this.backoff;
    // Full exponential step with a little jitter, so that many actors do not reconnect in lock-step.
    const delay = Math.min(maxMs, initialMs * 2 ** this.attempt) * (0.8 + 0.4 * Math.random());
    this.attempt++;
    this.options.events?.reconnecting?.(delay, reason);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed) this.connect();
    }, delay);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
