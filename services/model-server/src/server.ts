/**
 * Starts a whole model-server in this process: store, registry, broadcast (NATS when configured,
 * in-process otherwise), ModelService + PolicyService on one gRPC server, and /metrics. The
 * process entry (main.ts), the tests and the single-process mode all start it through here.
 */
import {
  connectNats,
  reverieV1,
  startGrpcServer,
  type NatsConnection,
  type RunningServer,
  type WeightsFeed,
} from '@reverie/transport';
import { createLogger, createMetricsRegistry, serveMetrics, type Logger, type MetricsServer, type Registry } from '@reverie/telemetry';
import type { ModelServerConfig } from './config.js';
import { modelServiceHandlers } from './grpc/modelService.js';
import { createModelServerMetrics } from './metrics.js';
import type { WeightsBroadcast } from './registry/broadcast.js';
import { InProcessWeightsBroadcast } from './registry/inProcessBroadcast.js';
import { ModelRegistry } from './registry/modelRegistry.js';
import { NatsWeightsBroadcast } from './registry/natsBroadcast.js';
import { policyServiceHandlers } from './serving/policyService.js';
import { ServedPolicies } from './serving/servedPolicies.js';
import { WeightStore } from './store/weightStore.js';

export interface ModelServerDeps {
  logger?: Logger;
  /** A registry to add the metrics to (the single-process mode shares one); a fresh one otherwise. */
  metricsRegistry?: Registry;
  /** Replaces the broadcast the config implies. */
  broadcast?: WeightsBroadcast;
}

export interface ModelServerHandle {
  /** host:port of the gRPC server. */
  address: string;
  metricsUrl: string;
  registry: ModelRegistry;
  /** The in-process feed, when the broadcast is in-process (no NATS): what an in-process actor subscribes to. */
  feed?: WeightsFeed;
  metricsRegistry: Registry;
  /** Stops accepting calls, lets calls in flight finish (up to shutdownGraceMs), closes NATS. */
  close(): Promise<void>;
}

async function openBroadcast(config: ModelServerConfig, deps: ModelServerDeps, logger: Logger): Promise<{ broadcast: WeightsBroadcast; nc?: NatsConnection }> {
  if (deps.broadcast) return { broadcast: deps.broadcast };
  if (!config.nats) {
    return { broadcast: new InProcessWeightsBroadcast((err) => logger.error({ err: String(err) }, 'in-process weights subscriber failed')) };
  }
  logger.info({ url: config.nats.url }, 'connecting to NATS (start-up waits until it answers)');
  const nc = await connectNats({ name: 'model-server', ...config.nats });
  logger.info({ url: config.nats.url }, 'connected to NATS');
  return { broadcast: new NatsWeightsBroadcast(nc), nc };
}

/** A version stored while NATS was away is announced again once the connection is back. */
async function retryBroadcastsOnReconnect(nc: NatsConnection, registry: ModelRegistry, logger: Logger): Promise<void> {
  for await (const status of nc.status()) {
    if (String(status.type) !== 'reconnect') continue;
    await registry.retryFailedBroadcasts().catch((err: unknown) => logger.warn({ err: String(err) }, 'could not announce again after reconnecting'));
  }
}

function startServices(config: ModelServerConfig, registry: ModelRegistry, policies: ServedPolicies, ctx: { logger: Logger; metrics: ReturnType<typeof createModelServerMetrics> }): Promise<RunningServer> {
  const v1 = reverieV1();
  return startGrpcServer({
    host: config.grpcHost,
    port: config.grpcPort,
    tls: config.tls,
    maxMessageBytes: config.maxMessageBytes,
    services: [
      {
        name: 'reverie.v1.ModelService',
        definition: v1.ModelService.service,
        implementation: modelServiceHandlers({ ...ctx, registry, token: config.token, maxWeightsBytes: config.maxWeightsBytes }),
      },
      {
        name: 'reverie.v1.PolicyService',
        definition: v1.PolicyService.service,
        implementation: policyServiceHandlers({
          ...ctx,
          policies,
          maxBatch: config.maxBatch,
          maxQueueDelayMs: config.maxQueueDelayMs,
          maxObservationBytes: config.maxObservationBytes,
        }),
      },
    ],
  });
}

export async function startModelServer(config: ModelServerConfig, deps: ModelServerDeps = {}): Promise<ModelServerHandle> {
  const logger = deps.logger ?? createLogger({ service: 'model-server', level: config.logLevel });
  const metricsRegistry = deps.metricsRegistry ?? createMetricsRegistry({ service: 'model-server' });
  const metrics = createModelServerMetrics(metricsRegistry);
  const store = await WeightStore.open({ dir: config.storeDir, keepVersions: config.keepVersions, logger });
  const { broadcast, nc } = await openBroadcast(config, deps, logger);
  const registry = await ModelRegistry.open({ store, broadcast, metrics, logger });
  if (nc) void retryBroadcastsOnReconnect(nc, registry, logger);
  const policies = new ServedPolicies(registry, { defaultPolicy: config.defaultPolicy, cacheSize: config.policyCacheSize });
  await policies.loadNewest();
  let grpc: RunningServer | undefined;
  let metricsServer: MetricsServer | undefined;
  try {
    grpc = await startServices(config, registry, policies, { logger, metrics });
    metricsServer = await serveMetrics({ registry: metricsRegistry, host: config.metricsHost, port: config.metricsPort });
  } catch (err) {
    await grpc?.close(0);
    await nc?.close();
    throw err;
  }
  const running = grpc;
  const served = metricsServer;
  logger.info({ grpc: running.address, metrics: served.url, storeDir: config.storeDir, policies: store.policies() }, 'model-server ready');
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await running.close(config.shutdownGraceMs);
      if (nc && !nc.isClosed()) await nc.drain();
      await served.close();
    })();
    return closing;
  };
  return {
    address: running.address,
    metricsUrl: served.url,
    registry,
    feed: broadcast instanceof InProcessWeightsBroadcast ? broadcast : undefined,
    metricsRegistry,
    close,
  };
}
