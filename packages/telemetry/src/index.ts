export { createLogger, type Logger, type LoggerOptions, type LogLevel } from './logger.js';
export {
  createMetricsRegistry,
  LATENCY_BUCKETS_SECONDS,
  RETURN_BUCKETS,
  BYTES_BUCKETS,
  type MetricsRegistryOptions,
} from './metrics.js';
export { Registry, Counter, Gauge, Histogram, Summary } from 'prom-client';
export { serveMetrics, type ServeMetricsOptions, type MetricsServer } from './metrics-server.js';
export { loadConfig, zBool, type LoadConfigOptions } from './config.js';
export { ConfigError, type ConfigIssue } from './config-error.js';
export {
  onShutdown,
  type ShutdownStep,
  type ShutdownOptions,
  type ShutdownHandle,
} from './shutdown.js';
export { scrapeMetrics, metricSum } from './scrape.js';
