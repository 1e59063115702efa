/** The learner's Prometheus metrics (names per DESIGN.md: reverie_ prefix, base units, _total counters). */
import { Counter, Gauge, Histogram, RETURN_BUCKETS, LATENCY_BUCKETS_SECONDS, type Registry } from '@reverie/telemetry';

const LAG_BUCKETS = [0, 1, 2, 3, 5, 10, 20, 50, 100, 200];

export class LearnerMetrics {
  /** result: stored | duplicate | rejected */
  readonly chunks: Counter<'result'>;
  readonly envSteps: Counter;
  readonly replaySize: Gauge;
  /** source: actor (latest − policy version as the actor saw it) | learner (published − policy version) */
  readonly policyLag: Histogram<'source'>;
  readonly episodeReturn: Histogram;
  readonly updates: Counter;
  readonly loss: Gauge<'component'>;
  readonly samples: Counter;
  readonly updateSeconds: Histogram;
  readonly publishedVersion: Gauge;
  /** result: ok | error */
  readonly publishes: Counter<'result'>;
  readonly weightsBytes: Gauge;
  readonly backendInfo: Gauge<'backend'>;
  readonly checkpointSeconds: Histogram;

  constructor(readonly registry: Registry) {
    const registers = [registry];
    this.chunks = new Counter({ name: 'reverie_learner_chunks_total', help: 'Trajectory chunks received, by result', labelNames: ['result'], registers });
    this.envSteps = new Counter({ name: 'reverie_learner_env_steps_total', help: 'Env steps stored (duplicates excluded)', registers });
    this.replaySize = new Gauge({ name: 'reverie_learner_replay_size', help: 'Env steps held in replay', registers });
    this.policyLag = new Histogram({ name: 'reverie_learner_policy_lag_versions', help: 'Weight versions between acting and the newest, per chunk', labelNames: ['source'], buckets: LAG_BUCKETS, registers });
    this.episodeReturn = new Histogram({ name: 'reverie_learner_episode_return', help: 'Returns of episodes reported in chunks', buckets: RETURN_BUCKETS, registers });
    this.updates = new Counter({ name: 'reverie_learner_updates_total', help: 'Gradient updates', registers });
    this.loss = new Gauge({ name: 'reverie_learner_loss', help: 'Loss of the latest update, per component', labelNames: ['component'], registers });
    this.samples = new Counter({ name: 'reverie_learner_samples_total', help: 'Transitions consumed by updates (rate = samples/s)', registers });
    this.updateSeconds = new Histogram({ name: 'reverie_learner_update_seconds', help: 'Wall time of one update', buckets: LATENCY_BUCKETS_SECONDS, registers });
    this.publishedVersion = new Gauge({ name: 'reverie_learner_published_version', help: 'Newest weight version published', registers });
    this.publishes = new Counter({ name: 'reverie_learner_publishes_total', help: 'Weight publishes, by result', labelNames: ['result'], registers });
    this.weightsBytes = new Gauge({ name: 'reverie_learner_weights_bytes', help: 'Size of the last published policy file', registers });
    this.backendInfo = new Gauge({ name: 'reverie_learner_backend_info', help: 'TensorFlow.js backend the learner trains on (value 1)', labelNames: ['backend'], registers });
    this.checkpointSeconds = new Histogram({ name: 'reverie_learner_checkpoint_seconds', help: 'Wall time to write a checkpoint', buckets: LATENCY_BUCKETS_SECONDS, registers });
  }
}
