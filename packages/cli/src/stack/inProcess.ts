/**
 * The single-process stack: the same model-server, learner and actor code as the processes, started
 * here through their exported start functions and joined by in-process transports — the learner
 * publishes into the model-server's registry (its WeightsPublisher), actors push chunks straight into
 * the learner (its TrajectorySink) and follow the registry's in-process feed (WeightsFeed). No NATS.
 * The gRPC servers (PolicyService for simulators) and every /metrics endpoint still listen on loopback.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig as defaultActorConfig, startActor } from '@reverie/actor';
import { startLearner } from '@reverie/learner';
import { defaultModelServerConfig, startModelServer, type ModelServerHandle } from '@reverie/model-server';
import { serviceLogger } from './serviceLogs.js';
import { stackPolicyName, StackStartError } from './services.js';
import type { Endpoint, RunningStack, StackConfig, StackEndpoints, StackHooks } from './stack.js';
import { Supervisor, type Stoppable } from './supervisor.js';

const STAGE = { modelServer: 1, learner: 2, actors: 3 } as const;

/** A service in this process as a supervisor member: close() within the timeout, else reported as stuck. */
function member(name: string, close: () => Promise<void>): Stoppable {
  return {
    name,
    stop: async (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`still closing after ${timeoutMs} ms; left behind`), timeoutMs)));
      const closed = close().then(
        () => 'closed',
        (e: unknown) => `close failed: ${(e as Error).message}`,
      );
      const how = await Promise.race([closed, late]);
      clearTimeout(timer);
      return how;
    },
    // Nothing to kill: it lives and dies with this process.
    kill: () => undefined,
  };
}

function endpoint(grpc: string | null, metrics: string): Endpoint {
  return { grpc, metrics, pid: process.pid };
}

async function startServing(config: StackConfig, hooks: StackHooks, supervisor: Supervisor): Promise<ModelServerHandle> {
  const modelServer = await startModelServer(
    defaultModelServerConfig({
      grpcPort: 0,
      metricsPort: 0,
      storeDir: join(config.dataDir, 'model-server'),
      defaultPolicy: stackPolicyName(config),
      token: config.token,
    }),
    { logger: serviceLogger('model-server', 'model-server', hooks.log) },
  );
  supervisor.add(member('model-server', () => modelServer.close()), STAGE.modelServer);
  if (modelServer.feed === undefined) throw new StackStartError('the model-server started without its in-process weights feed');
  return modelServer;
}

async function startActors(config: StackConfig, hooks: StackHooks, supervisor: Supervisor, wiring: { learner: Awaited<ReturnType<typeof startLearner>>; modelServer: ModelServerHandle }): Promise<StackEndpoints['actors']> {
  const actors: StackEndpoints['actors'] = [];
  for (let i = 1; i <= config.actors; i++) {
    const name = `actor-${i}`;
    const actorConfig = {
      ...defaultActorConfig(),
      actorId: name,
      env: config.env,
      numEnvs: config.envsPerActor,
      workers: Math.min(config.workersPerActor, config.envsPerActor),
      seed: config.seed + 1000 * i,
      policy: stackPolicyName(config),
      metricsPort: 0,
    };
    const actor = await startActor(actorConfig, {
      logger: serviceLogger('actor', name, hooks.log),
      trajectorySink: wiring.learner.learner,
      weightsFeed: wiring.modelServer.feed,
    });
    supervisor.add(member(name, () => actor.close()), STAGE.actors);
    actor.done.catch((e: unknown) => hooks.notice(`${name} stopped stepping: ${(e as Error).message}; the others keep running`));
    actors.push({ name, ...endpoint(null, actor.metricsUrl) });
  }
  return actors;
}

/** Starts model-server, learner and actors in this process; on a failure closes what started and throws StackStartError. */
export async function startInProcessStack(config: StackConfig, hooks: StackHooks): Promise<RunningStack> {
  mkdirSync(config.dataDir, { recursive: true });
  const supervisor = new Supervisor({ log: hooks.log, onUnexpectedExit: () => undefined });
  try {
    const modelServer = await startServing(config, hooks, supervisor);
    const learner = await startLearner(
      { grpcPort: 0, metricsPort: 0, env: config.env, algo: config.algo, policy: stackPolicyName(config), checkpointDir: join(config.dataDir, 'learner'), seed: config.seed },
      { publisher: modelServer.registry, logger: serviceLogger('learner', 'learner', hooks.log) },
    );
    supervisor.add(member('learner', () => learner.close({ checkpoint: true })), STAGE.learner);
    const actors = await startActors(config, hooks, supervisor, { learner, modelServer });
    return {
      endpoints: { nats: null, modelServer: endpoint(modelServer.address, modelServer.metricsUrl), learner: endpoint(learner.address, learner.metricsUrl), actors },
      stop: () => supervisor.stopAll(config.stopTimeoutMs),
      killAll: () => undefined,
    };
  } catch (e) {
    await supervisor.stopAll(config.stopTimeoutMs);
    throw e instanceof StackStartError ? e : new StackStartError(`the single-process stack did not start: ${(e as Error).message}`);
  }
}
