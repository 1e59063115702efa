import {
  GrpcStatus,
  reverieV1,
  rpcError,
  startGrpcServer,
  type LearnerServiceHandlers,
  type RunningServer,
  type TrajectoryChunk__Output,
} from '@reverie/transport';

/** What the test learner does with a received chunk. */
export type Verdict = 'store' | 'drop-stream' | 'invalid' | 'unauthenticated';

/**
 * A LearnerService on real gRPC that stores chunks by (actor_id, sequence), acks each after
 * `ackDelayMs` (duplicates flagged), and can break the stream as `verdict` says.
 */
export class TestLearner {
  readonly stored = new Map<number, TrajectoryChunk__Output>();
  maxUnacked = 0;
  private unacked = 0;
  server: RunningServer | undefined;

  constructor(private readonly verdict: (chunk: TrajectoryChunk__Output) => Verdict = () => 'store', private readonly ackDelayMs = 0) {}

  async start(port = 0): Promise<string> {
    const handlers: LearnerServiceHandlers = {
      PushTrajectories: (call) => {
        let broken = false;
        call.on('data', (chunk: TrajectoryChunk__Output) => {
          if (broken) return;
          const verdict = this.verdict(chunk);
          if (verdict !== 'store') {
            broken = true;
            const code = { 'drop-stream': GrpcStatus.UNAVAILABLE, invalid: GrpcStatus.INVALID_ARGUMENT, unauthenticated: GrpcStatus.UNAUTHENTICATED }[verdict];
            call.emit('error', rpcError(code, `test learner: ${verdict} at chunk ${chunk.sequence}`));
            return;
          }
          this.unacked++;
          this.maxUnacked = Math.max(this.maxUnacked, this.unacked);
          setTimeout(() => {
            this.unacked--;
            const sequence = Number(chunk.sequence);
            const duplicate = this.stored.has(sequence);
            if (!duplicate) this.stored.set(sequence, chunk);
            if (!broken && !call.cancelled) call.write({ actorId: chunk.actorId, sequence, duplicate, replaySize: this.stored.size });
          }, this.ackDelayMs);
        });
        call.on('end', () => call.end());
      },
      GetStatus: (_call, callback) => callback(null, {}),
    };
    this.server = await startGrpcServer({ services: [{ name: 'reverie.v1.LearnerService', definition: reverieV1().LearnerService.service, implementation: handlers }], port });
    this.server.setServing(true);
    return this.server.address;
  }
}
