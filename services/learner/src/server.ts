/**
 * LearnerService over gRPC. PushTrajectories is a bidi stream: chunks are stored as they arrive
 * and each gets its ack, in order, once it is durable (several share one fsync). While `maxQueue`
 * chunks await their ack, the stream stops reading, so HTTP/2 flow control holds the actor back. A bad chunk ends its stream with
 * INVALID_ARGUMENT naming the problem (the chunks before it are acknowledged; the server goes on).
 */
import {
  GrpcStatus,
  type PushAck__Output,
  hasBearerToken,
  rpcError,
  TensorError,
  type LearnerServiceHandlers,
  type LearnerStatus,
  type TrajectoryChunk__Output,
} from '@reverie/transport';
import { ChunkError } from './ingest/decodeChunk.js';
import type { Learner } from './learner.js';

export interface LearnerServiceOptions {
  /** When set, every call must carry `authorization: Bearer <token>`. */
  token?: string;
  /** Chunks stored but not yet acknowledged per stream before it stops reading (default 8). */
  maxQueue?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

type PushCall = Parameters<LearnerServiceHandlers['PushTrajectories']>[0];

function statusFor(err: unknown): ReturnType<typeof rpcError> {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ChunkError || err instanceof TensorError) return rpcError(GrpcStatus.INVALID_ARGUMENT, message);
  return rpcError(GrpcStatus.INTERNAL, `storing the chunk failed: ${message}`);
}

export function learnerServiceHandlers(learner: Learner, opts: LearnerServiceOptions = {}): LearnerServiceHandlers {
  const authorized = (md: PushCall['metadata']): boolean => opts.token === undefined || hasBearerToken(md, opts.token);
  return {
    PushTrajectories(call) {
      if (!authorized(call.metadata)) {
        call.emit('error', rpcError(GrpcStatus.UNAUTHENTICATED, 'PushTrajectories needs a valid bearer token'));
        return;
      }
      servePushStream(call, learner, opts);
    },
    GetStatus(call, callback) {
      if (!authorized(call.metadata)) {
        callback(rpcError(GrpcStatus.UNAUTHENTICATED, 'GetStatus needs a valid bearer token'));
        return;
      }
      const s = learner.status();
      const reply: LearnerStatus = { ...s };
      callback(null, reply);
    },
  };
}

function servePushStream(call: PushCall, learner: Learner, opts: LearnerServiceOptions): void {
  const maxQueue = opts.maxQueue ?? 8;
  // Acks go out in chunk order: each waits for the ones before it.
  let tail: Promise<void> = Promise.resolve();
  let inFlight = 0;
  let closed = false; // no more chunks are accepted on this stream
  let errored = false; // its error status has been sent

  const fail = (err: unknown): void => {
    if (errored) return;
    errored = true;
    closed = true;
    const status = statusFor(err);
    if (status.code !== GrpcStatus.INVALID_ARGUMENT) opts.log?.('error', 'storing a chunk failed', { err: status.details });
    call.emit('error', status);
  };

  call.on('data', (chunk: TrajectoryChunk__Output) => {
    if (closed) return;
    let ack: Promise<PushAck__Output>;
    try {
      ack = learner.accept(chunk); // stored now; resolves once durable
    } catch (err) {
      // Nothing after a bad chunk is stored; the acks before it still go out first.
      closed = true;
      call.pause();
      tail = tail.then(() => fail(err));
      return;
    }
    if (++inFlight >= maxQueue) call.pause();
    tail = tail.then(() => ack).then(
      (a) => {
        if (errored || call.cancelled) return;
        call.write(a);
        if (--inFlight < maxQueue && !closed) call.resume();
      },
      fail,
    );
  });
  call.on('end', () => {
    void tail.then(() => {
      if (!errored) call.end();
    });
  });
}
