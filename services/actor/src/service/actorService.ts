import { randomBytes } from 'node:crypto';
import { npRandom } from '@reverie/core';
import { createLogger, createMetricsRegistry, serveMetrics, type Logger } from '@reverie/telemetry';
import { bearerMetadata, createClient, type TrajectorySink, type WeightsFeed } from '@reverie/transport';
import { runActorLoop } from '../rollout/actorLoop.js';
import { PooledVectorEnv } from '../rollout/pooledVectorEnv.js';
import { TrajectoryAssembler, type TrajectoryChunk } from '../rollout/trajectoryAssembler.js';
import type { ActorConfig } from './config.js';
import { ActorMetrics } from './metrics.js';
import { PolicyHolder } from './policyHolder.js';
import { SinkSender } from './sinkSender.js';
import { TrajectorySender, type ChunkSender, type SenderEvents } from './trajectorySender.js';
import { followWeights } from './weightsFollower.js';

/** Exploration draws come from a stream far from the envs' seeds (seed + i). */
const EXPLORATION_SEED_OFFSET = 2 ** 40;

export interface ActorDeps {
  logger?: Logger;
  /** Where new weights come from (in-process runs); default: NATS as configured. */
  weightsFeed?: WeightsFeed;
  /** Where chunks go in a single-process run (the learner itself); default: gRPC to learner.address. */
  trajectorySink?: TrajectorySink;
}

export interface RunningActor {
  metrics: ActorMetrics;
  metricsUrl: string;
  /** Settles when the step loop stops: after close(), or with the error that stopped it. */
  done: Promise<void>;
  /** Stops stepping, flushes unacknowledged chunks (up to shutdownGraceMs), and frees every resource. */
  close(): Promise<void>;
}

/**
 * The actor: a pooled vector env stepped with batched inference of the newest weights, its
 * trajectory chunks streamed to the learner, metrics on /metrics. Ready (/readyz) once the learner
 * has acknowledged a chunk.
 */
export async function startActor(config: ActorConfig, deps: ActorDeps = {}): Promise<RunningActor> {
  const logger = deps.logger ?? createLogger({ service: 'actor', level: config.logLevel });
  const metrics = new ActorMetrics(createMetricsRegistry({ service: 'actor', defaultLabels: { env: config.env } }));
  const venv = await PooledVectorEnv.create({ envId: config.env, numEnvs: config.numEnvs, workers: config.workers, seed: config.seed, autoreset: 'same-step' });
  const stops: (() => Promise<void> | void)[] = [() => venv.close()];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const holder = new PolicyHolder(venv.observationSize, discreteActions(venv));
    let latestHeard = 0;
    const heard = () => Math.max(latestHeard, holder.version);
    stops.push(await followWeights(config, holder, metrics, logger, (v) => (latestHeard = Math.max(latestHeard, v)), deps.weightsFeed));
    const streamId = chunkStreamId(config.actorId);
    const sender = chunkSender(config, streamId, venv, metrics, logger, heard, deps.trajectorySink, stops);
    const server = await serveMetrics({ registry: metrics.registry, host: config.metricsHost, port: config.metricsPort, ready: () => sender.acknowledged > 0 });
    stops.push(() => server.close());
    const stepping = startStepping(config, venv, holder, sender, metrics, logger, heard);
    logger.info({ env: config.env, numEnvs: config.numEnvs, workers: config.workers, learner: config.learner.address, policy: config.policy, chunkStream: streamId }, 'actor started');
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= stepping.stop().then(stopAll));
    return { metrics, metricsUrl: server.url, done: stepping.done, close };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function discreteActions(venv: PooledVectorEnv): number {
  const n = venv.numActions;
  if (n === undefined) throw new Error(`${venv.envId} has a continuous action space (${venv.singleActionSpace}); the actor acts with Q-policies, which need discrete actions`);
  return n;
}

/** Runs the step loop; `stop()` ends it and flushes the sender (up to shutdownGraceMs). */
function startStepping(
  config: ActorConfig,
  venv: PooledVectorEnv,
  holder: PolicyHolder,
  sender: ChunkSender,
  metrics: ActorMetrics,
  logger: Logger,
  latestHeard: () => number,
): { done: Promise<void>; stop: () => Promise<void> } {
  const controller = new AbortController();
  const assembler = new TrajectoryAssembler({ numEnvs: venv.numEnvs, numSteps: config.chunkSteps, observationSize: venv.observationSize, actionSize: 1, discrete: true, poolSize: config.window + 2 });
  const onChunk = async (chunk: TrajectoryChunk): Promise<void> => {
    metrics.policyLag.observe(Math.max(0, latestHeard() - chunk.policyVersion));
    await sender.send(chunk);
    metrics.chunksInFlight.set(sender.inFlight);
  };
  const loop = runActorLoop({
    venv,
    assembler,
    policy: () => holder.current,
    // Until the first weights arrive the zero network's greedy action would always be 0.
    epsilon: () => (holder.version === 0 ? 1 : config.epsilon),
    rng: npRandom(config.seed + EXPLORATION_SEED_OFFSET).rng,
    onChunk,
    onStep: (v) => countStep(v, metrics),
    signal: controller.signal,
  });
  const done = loop.then(
    (steps) => void logger.info({ steps }, 'step loop stopped'),
    (err: unknown) => {
      if (controller.signal.aborted) return; // a send cut short by stop()
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'step loop failed');
      throw err;
    },
  );
  const stop = async (): Promise<void> => {
    controller.abort();
    const lost = await sender.close(config.shutdownGraceMs);
    if (lost > 0) logger.warn({ lost }, 'chunks not acknowledged before shutdown');
    await done.catch(() => {});
  };
  return { done, stop };
}

/** The in-process sender for a sink, else a gRPC stream to the learner (its client closed by `stops`). */
function chunkSender(
  config: ActorConfig,
  streamId: string,
  venv: PooledVectorEnv,
  metrics: ActorMetrics,
  logger: Logger,
  latestVersion: () => number,
  sink: TrajectorySink | undefined,
  stops: (() => Promise<void> | void)[],
): ChunkSender {
  const common = { actorId: streamId, envId: config.env, observationSize: venv.observationSize, actionSize: 1, window: config.window, latestVersion, events: senderEvents(metrics, logger) };
  if (sink) return new SinkSender({ ...common, sink });
  const client = createClient('LearnerService', config.learner.address);
  stops.push(() => client.close());
  const token = config.learner.token;
  return new TrajectorySender({ ...common, openStream: () => (token ? client.PushTrajectories(bearerMetadata(token)) : client.PushTrajectories()) });
}

/**
 * The actor id on the chunks: the configured id plus a random suffix per process. A restarted actor
 * numbers its chunks from 0 again; under the bare id (a Kubernetes pod keeps its name across
 * container restarts) the learner would drop them as duplicates of the previous process's chunks.
 */
export function chunkStreamId(actorId: string): string {
  return `${actorId}#${randomBytes(4).toString('hex')}`;
}

function senderEvents(metrics: ActorMetrics, logger: Logger): SenderEvents {
  return {
    sent: () => metrics.chunksSent.inc(),
    acked: () => metrics.chunksAcked.inc(),
    resent: (n) => metrics.chunksResent.inc(n),
    rejected: (sequence, reason) => {
      metrics.chunksRejected.inc();
      logger.error({ sequence, reason }, 'the learner refused a chunk; dropped');
    },
    reconnecting: (delayMs, reason) => {
      metrics.reconnects.inc();
      logger.warn({ delayMs: Math.round(delayMs), reason }, 'learner stream broken; reconnecting');
    },
  };
}

/** Env steps, finished episodes and their returns. */
function countStep(venv: PooledVectorEnv, metrics: ActorMetrics): void {
  metrics.envSteps.inc(venv.numEnvs);
  const { terminated, truncated, episodeReturns } = venv;
  for (let i = 0; i < venv.numEnvs; i++) {
    if ((terminated[i] | truncated[i]) === 0) continue;
    metrics.episodes.inc();
    metrics.episodeReturn.observe(episodeReturns[i]);
  }
}
