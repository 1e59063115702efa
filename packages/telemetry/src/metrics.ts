import { Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Becomes the `service` label on every metric of the registry. */
  service: string;
  /** More labels for every metric; keep them low-cardinality (never an id per episode or request). */
  defaultLabels?: Record<string, string>;
  /** Collect prom-client's process and Node.js runtime metrics into this registry (default true). */
  collectDefault?: boolean;
}

/**
 * A fresh prom-client Registry (never the global one, so several services can share a
 * process) whose metrics all carry `service` and the given default labels.
 */
export function createMetricsRegistry(opts: MetricsRegistryOptions): Registry {
  if (!opts.service) throw new Error('createMetricsRegistry: `service` must be a non-empty string');
  const registry = new Registry();
  registry.setDefaultLabels({ ...opts.defaultLabels, service: opts.service });
  if (opts.collectDefault ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

// Frozen so one service cannot change the buckets another one uses; typed as number[]
// because prom-client's bucket option is a mutable array type (it freezes its copy too).
function frozen(values: number[]): number[] {
  Object.freeze(values);
  return values;
}

/** Seconds, log-spaced 1-2.5-5 from 50 µs to 10 s: inference, env steps, RPCs, training steps. */
export const LATENCY_BUCKETS_SECONDS: number[] = frozen([
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
  2.5, 5, 10,
]);

/**
 * Undiscounted episode returns across the bundled envs: Pendulum (about -1600..0),
 * Acrobot/MountainCar/Taxi (-500..20), FrozenLake (0 or 1), CartPole (up to 500, 475 = solved).
 */
export const RETURN_BUCKETS: number[] = frozen([
  -2000, -1500, -1000, -750, -500, -400, -300, -200, -150, -100, -50, -20, -10, 0, 1, 10, 20, 50,
  100, 150, 200, 300, 400, 475, 500, 750, 1000,
]);

/** Bytes, powers of 4 from 256 B to 1 GiB: messages, trajectory chunks, weight payloads. */
export const BYTES_BUCKETS: number[] = frozen(
  Array.from({ length: 12 }, (_, i) => 256 * 4 ** i),
);
