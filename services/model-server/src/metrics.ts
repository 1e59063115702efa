/** Every metric the model-server exports (names follow the repository's Prometheus conventions). */
import { Counter, Gauge, Histogram, LATENCY_BUCKETS_SECONDS, type Registry } from '@reverie/telemetry';

export interface ModelServerMetrics {
  versionsPublished: Counter<'policy'>;
  latestVersion: Gauge<'policy'>;
  weightBytes: Gauge<'policy'>;
  broadcastSeconds: Histogram<'policy'>;
  broadcastFailures: Counter<'policy'>;
  actSeconds: Histogram<'method'>;
  batchSize: Histogram;
  requests: Counter<'method'>;
  grpcErrors: Counter<'method' | 'code'>;
}

const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

export function createModelServerMetrics(registry: Registry): ModelServerMetrics {
  const registers = [registry];
  return {
    versionsPublished: new Counter({ name: 'reverie_model_versions_published_total', help: 'Weight versions stored', labelNames: ['policy'], registers }),
    latestVersion: new Gauge({ name: 'reverie_model_latest_version', help: 'Newest stored weight version', labelNames: ['policy'], registers }),
    weightBytes: new Gauge({ name: 'reverie_model_weight_bytes', help: 'Size of the newest weight version in bytes', labelNames: ['policy'], registers }),
    broadcastSeconds: new Histogram({
      name: 'reverie_model_broadcast_seconds',
      help: 'From a publish arriving to its announcement being sent (store, object store upload, announce)',
      labelNames: ['policy'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    broadcastFailures: new Counter({ name: 'reverie_model_broadcast_failures_total', help: 'Stored versions whose broadcast failed', labelNames: ['policy'], registers }),
    actSeconds: new Histogram({
      name: 'reverie_policy_act_seconds',
      help: 'Act request latency inside the server, from arrival to response',
      labelNames: ['method'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    batchSize: new Histogram({ name: 'reverie_policy_batch_size', help: 'Observation rows per policy evaluation', buckets: BATCH_BUCKETS, registers }),
    requests: new Counter({ name: 'reverie_policy_requests_total', help: 'Act requests received', labelNames: ['method'], registers }),
    grpcErrors: new Counter({ name: 'reverie_grpc_errors_total', help: 'Calls answered with an error status', labelNames: ['method', 'code'], registers }),
  };
}
