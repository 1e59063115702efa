/**
 * Wires a learner process (or the learner inside a single-process run): backend, algorithm,
 * Learner core, LearnerService on gRPC, /metrics. `close()` stops accepting chunks, stops
 * training, writes a final checkpoint and frees everything.
 */
import { describeBackend, initBackend } from '@reverie/nn';
import { createLogger, createMetricsRegistry, serveMetrics, type Logger, type Registry } from '@reverie/telemetry';
import { reverieV1, startGrpcServer, type RunningServer, type WeightsPublisher } from '@reverie/transport';
import { createAlgorithm, envSpecOf } from './algo/create.js';
import { resolveConfig, type LearnerConfig } from './config.js';
import { Learner } from './learner.js';
import { LearnerMetrics } from './metrics.js';
import { ModelServerPublisher } from './publish.js';
import { learnerServiceHandlers } from './server.js';

export interface LearnerDeps {
  /** Where weights go (e.g. an in-process model-server); default: the configured model-server, or none. */
  publisher?: WeightsPublisher;
  logger?: Logger;
  registry?: Registry;
}

export interface RunningLearner {
  config: LearnerConfig;
  learner: Learner;
  grpc: RunningServer;
  /** host:port of LearnerService. */
  address: string;
  metricsUrl: string;
  registry: Registry;
  logger: Logger;
  close(opts?: { checkpoint?: boolean }): Promise<void>;
}

function tlsOf(c: LearnerConfig) {
  if (c.tlsCert === '') return undefined;
  return { certFile: c.tlsCert, keyFile: c.tlsKey, caFile: c.tlsCa || undefined, requireClientCert: c.tlsRequireClientCert };
}

export async function startLearner(options: Partial<LearnerConfig> = {}, deps: LearnerDeps = {}): Promise<RunningLearner> {
  const config = resolveConfig({}, {}, options);
  const logger = deps.logger ?? createLogger({ service: 'learner', level: config.logLevel });
  const log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void => logger[level](fields, msg);
  const backend = await initBackend({ backend: config.backend });
  logger.info({ backend: describeBackend() }, 'tensorflow.js backend ready');
  const env = envSpecOf(config.env);
  const registry = deps.registry ?? createMetricsRegistry({ service: 'learner', defaultLabels: { algo: config.algo, env: config.env } });
  const metrics = new LearnerMetrics(registry);
  metrics.backendInfo.set({ backend }, 1);
  const algorithm = createAlgorithm(config, env);
  // The whole resolved config, so a run's log says what it trained with; bearer tokens only as set or not.
  logger.info({ config: { ...config, token: config.token ? '(set)' : '', modelServerToken: config.modelServerToken ? '(set)' : '' } }, 'config');
  const ownPublisher = deps.publisher === undefined && config.modelServer !== ''
    ? new ModelServerPublisher(config.modelServer, { token: config.modelServerToken || undefined, tls: config.modelServerCa ? { caFile: config.modelServerCa } : undefined })
    : undefined;
  const learner = await Learner.create({
    algorithm,
    spec: { envId: env.envId, obsSize: env.obsSize, numActions: env.numActions, numStates: env.numStates, maxSteps: config.maxChunkSteps },
    metrics,
    training: { ...config },
    backend,
    publisher: deps.publisher ?? ownPublisher,
    checkpointDir: config.checkpointDir || undefined,
    log,
  });
  const grpc = await startGrpcServer({
    services: [{
      name: 'reverie.v1.LearnerService',
      definition: reverieV1().LearnerService.service,
      implementation: learnerServiceHandlers(learner, { token: config.token || undefined, maxQueue: config.maxQueue, log }),
    }],
    host: config.grpcHost,
    port: config.grpcPort,
    tls: tlsOf(config),
  });
  const metricsServer = await serveMetrics({ registry, host: config.metricsHost, port: config.metricsPort });
  learner.start();
  let closing: Promise<void> | undefined;
  const close = (opts: { checkpoint?: boolean } = {}): Promise<void> => {
    closing ??= (async () => {
      await grpc.close(2000);
      await learner.close(opts);
      await metricsServer.close();
      ownPublisher?.close();
    })();
    return closing;
  };
  return { config, learner, grpc, address: grpc.address, metricsUrl: metricsServer.url, registry, logger, close };
}
