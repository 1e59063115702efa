/**
 * What a scaling point measures, named once: the services' metrics (see each service's README) and
 * what is taken from them. Local sweeps read them from /metrics scrapes, cluster sweeps from
 * Prometheus; both fill the same WindowIncrease.
 */
import type { HistogramCounts } from './histogram.js';

/** One metric family restricted to some label values, e.g. process CPU of the actors only. */
export interface MetricSpec {
  name: string;
  labels: Record<string, string>;
}

const spec = (name: string, labels: Record<string, string> = {}): MetricSpec => ({ name, labels });

export const SCALE_METRICS = {
  actorSteps: spec('reverie_actor_env_steps_total'),
  actorCpu: spec('process_cpu_seconds_total', { service: 'actor' }),
  learnerSteps: spec('reverie_learner_env_steps_total'),
  learnerUpdates: spec('reverie_learner_updates_total'),
  learnerCpu: spec('process_cpu_seconds_total', { service: 'learner' }),
  publishes: spec('reverie_learner_publishes_total', { result: 'ok' }),
  /** Gauge: size of the newest policy file. */
  weightsBytes: spec('reverie_learner_weights_bytes'),
  /** Versions between the one that acted and the newest published, when a chunk reaches the learner. */
  policyLag: spec('reverie_learner_policy_lag_versions', { source: 'learner' }),
  /** Model-server: a publish arriving → its announcement sent over NATS. */
  broadcast: spec('reverie_model_broadcast_seconds'),
  /** Actor: a version created → acting with it. */
  weightsApply: spec('reverie_actor_weights_apply_seconds'),
} as const;

/** The counters' and histograms' increase over one measurement window. */
export interface WindowIncrease {
  /** Length of the window in seconds (between the two readings). */
  seconds: number;
  /** Env steps per actor, in actor order (cluster: per pod). */
  actorSteps: number[];
  actorCpuSeconds: number;
  learnerSteps: number;
  learnerUpdates: number;
  learnerCpuSeconds: number;
  publishes: number;
  /** Size of the newest policy file at the end of the window (0: none published yet). */
  weightsBytes: number;
  policyLag: HistogramCounts;
  broadcast: HistogramCounts;
  weightsApply: HistogramCounts;
}

/** Whether a sample's labels include every label of the spec. */
export function labelsMatch(labels: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

/** `name{a="x",b="y"}` (PromQL selector; label values here never hold quotes or backslashes). */
export function promSelector(s: MetricSpec, suffix = '', extra: Record<string, string> = {}): string {
  const all = { ...s.labels, ...extra };
  const inner = Object.entries(all)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return `${s.name}${suffix}${inner === '' ? '' : `{${inner}}`}`;
}
