/**
 * LearnerService over gRPC. PushTrajectories is a bidi stream: chunks are stored one at a time in
 * arrival order and each gets its ack, in order. While `maxQueue` chunks wait, the stream stops
 * reading, so HTTP/2 flow control holds the actor back. A bad chunk ends its stream with
 * INVALID_ARGUMENT naming the problem (the chunks before it are acknowledged; the server goes on).
 */
import {
  GrpcStatus,
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
  /** Chunks buffered per stream before it stops reading (default 4). */
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
  const maxQueue = opts.maxQueue ?? 4;
  const queue: TrajectoryChunk__Output[] = [];
  let draining = false;
  let failed = false;
  let ended = false;

  const drain = async (): Promise<void> => {
    draining = true;
    while (queue.length > 0 && !failed && !call.cancelled) {
      const chunk = queue.shift() as TrajectoryChunk__Output;
      if (queue.length < maxQueue) call.resume();
      try {
        call.write(await learner.push(chunk));
      } catch (err) {
        failed = true;
        const status = statusFor(err);
        if (status.code !== GrpcStatus.INVALID_ARGUMENT) opts.log?.('error', 'storing a chunk failed', { err: status.details });
        call.emit('error', status);
      }
    }
    draining = false;
    if (ended && !failed) call.end();
  };

  call.on('data', (chunk: TrajectoryChunk__Output) => {
    if (failed) return;
    queue.push(chunk);
    if (queue.length >= maxQueue) call.pause();
    if (!draining) void drain();
  });
  call.on('end', () => {
    ended = true;
    if (!draining && !failed) call.end();
  });
}
