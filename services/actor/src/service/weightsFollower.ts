import type { Logger } from '@reverie/telemetry';
import {
  connectNats,
  createClient,
  createNatsWeightsFeed,
  type NatsConnection,
  type WeightsFeed,
  type WeightsUpdate,
} from '@reverie/transport';
import type { ActorConfig } from './config.js';
import type { ActorMetrics } from './metrics.js';
import type { PolicyHolder } from './policyHolder.js';

/** Stops following; resolves once the connections it opened are closed. */
export type StopFollowing = () => Promise<void>;

/**
 * Follows the weights of `config.policy`: every announced version is decoded and swapped into
 * `holder`, and at start the newest version is fetched once (late joiners). `onHeard` gets every
 * version number seen, applied or not (for the policy lag). Without a feed and without nats.url
 * there are no updates: the actor keeps its initial policy.
 */
export async function followWeights(
  config: ActorConfig,
  holder: PolicyHolder,
  metrics: ActorMetrics,
  logger: Logger,
  onHeard: (version: number) => void,
  feed?: WeightsFeed,
): Promise<StopFollowing> {
  let nc: NatsConnection | undefined;
  let closeModelServer = () => {};
  if (feed === undefined) {
    if (config.nats.url === '') {
      logger.warn('nats.url is not set: no weight updates, actions stay uniformly random');
      return async () => {};
    }
    const { url, user, password } = config.nats;
    nc = await connectNats({ url, name: config.actorId, user: user || undefined, pass: password || undefined });
    const modelServer = config.modelServer.address ? createClient('ModelService', config.modelServer.address) : undefined;
    closeModelServer = () => modelServer?.close();
    feed = createNatsWeightsFeed(nc, { modelServer, onError: (err) => logger.warn({ err: err.message }, 'a weights announcement could not be applied') });
  }
  const apply = (update: WeightsUpdate): void => {
    const { version, createdUnixMs } = update.metadata;
    onHeard(version);
    try {
      if (!holder.apply(update)) return;
    } catch (err) {
      logger.error({ version, err: err instanceof Error ? err.message : String(err) }, 'weights refused');
      return;
    }
    metrics.policyVersion.set(version);
    if (createdUnixMs > 0) metrics.weightsApplySeconds.observe(Math.max(0, (Date.now() - createdUnixMs) / 1000));
    logger.info({ policy: config.policy, version }, 'acting with new weights');
  };
  const unsubscribe = feed.subscribe(config.policy, apply);
  const source = feed;
  const catchUp = (): void => {
    source.latest(config.policy).then(
      (update) => update && apply(update),
      (err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not fetch the newest weights; waiting for the next announcement'),
    );
  };
  catchUp();
  if (nc) void catchUpAfterReconnects(nc, catchUp, logger);
  return async () => {
    unsubscribe();
    closeModelServer();
    await nc?.drain();
  };
}

/**
 * Announcements are not queued for a disconnected subscriber, and the model-server cannot announce
 * while NATS is down: after each reconnect the newest version is fetched again (over gRPC), so a
 * version stored during the outage is not skipped until the next one is announced.
 */
async function catchUpAfterReconnects(nc: NatsConnection, catchUp: () => void, logger: Logger): Promise<void> {
  for await (const status of nc.status()) {
    if (String(status.type) !== 'reconnect') continue;
    logger.info('reconnected to NATS; fetching the newest weights');
    catchUp();
  }
}
