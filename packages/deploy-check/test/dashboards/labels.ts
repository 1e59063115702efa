/** Labels every scraped series carries besides the ones its metric declares. */

/** Added by Prometheus to every target's series. */
export const TARGET_LABELS: readonly string[] = ['job', 'instance'];

/** Registry-wide default labels the services set through @reverie/telemetry's createMetricsRegistry. */
export const REGISTRY_LABELS: readonly string[] = ['service'];
