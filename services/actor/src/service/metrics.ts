/** The actor's Prometheus metrics (DESIGN.md: reverie_ prefix, base units, _total counters). */
import { Counter, Gauge, Histogram, LATENCY_BUCKETS_SECONDS, RETURN_BUCKETS, type Registry } from '@reverie/telemetry';

const LAG_BUCKETS = [0, 1, 2, 3, 5, 10, 20, 50, 100, 200];

export class ActorMetrics {
  readonly envSteps: Counter;
  readonly episodes: Counter;
  readonly episodeReturn: Histogram;
  /** The weight version the actor acts with (0: none yet, uniform actions). */
  readonly policyVersion: Gauge;
  /** Newest version heard of minus the oldest version that acted in the chunk, per chunk. */
  readonly policyLag: Histogram;
  /** Publish (the version's creation time) to applied on this actor. */
  readonly weightsApplySeconds: Histogram;
  readonly chunksSent: Counter;
  readonly chunksAcked: Counter;
  readonly chunksResent: Counter;
  readonly chunksRejected: Counter;
  readonly chunksInFlight: Gauge;
  readonly reconnects: Counter;

  constructor(readonly registry: Registry) {
    const registers = [registry];
    this.envSteps = new Counter({ name: 'reverie_actor_env_steps_total', help: 'Env steps taken (all envs of the actor)', registers });
    this.episodes = new Counter({ name: 'reverie_actor_episodes_total', help: 'Episodes finished', registers });
    this.episodeReturn = new Histogram({ name: 'reverie_actor_episode_return', help: 'Undiscounted return of finished episodes', buckets: RETURN_BUCKETS, registers });
    this.policyVersion = new Gauge({ name: 'reverie_actor_policy_version', help: 'Weight version acting now (0 before the first)', registers });
    this.policyLag = new Histogram({ name: 'reverie_actor_policy_lag_versions', help: 'Per chunk: newest version heard of minus the oldest version that acted', buckets: LAG_BUCKETS, registers });
    this.weightsApplySeconds = new Histogram({ name: 'reverie_actor_weights_apply_seconds', help: 'From a version being published to it acting here', buckets: LATENCY_BUCKETS_SECONDS, registers });
    this.chunksSent = new Counter({ name: 'reverie_actor_chunks_sent_total', help: 'Trajectory chunks handed to the learner stream', registers });
    this.chunksAcked = new Counter({ name: 'reverie_actor_chunks_acked_total', help: 'Trajectory chunks the learner acknowledged', registers });
    this.chunksResent = new Counter({ name: 'reverie_actor_chunks_resent_total', help: 'Trajectory chunks sent again after a reconnect', registers });
    this.chunksRejected = new Counter({ name: 'reverie_actor_chunks_rejected_total', help: 'Trajectory chunks the learner refused as malformed (dropped)', registers });
    this.chunksInFlight = new Gauge({ name: 'reverie_actor_chunks_in_flight', help: 'Trajectory chunks sent and not yet acknowledged', registers });
    this.reconnects = new Counter({ name: 'reverie_actor_learner_reconnects_total', help: 'Reconnects of the learner stream', registers });
  }
}
