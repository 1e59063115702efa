/**
 * The distributed stack on one machine: nats-server (or a given NATS), then model-server, learner and
 * N actors as child processes, each wired to the endpoints the ones before it reported when READY.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChildStartError, describeExit, type LogSink } from './child.js';
import { natsServerSpec } from './nats.js';
import type { ReadyInfo } from './ready.js';
import { actorSpec, learnerSpec, modelServerSpec, StackStartError, type StackSettings, type Wiring } from './services.js';
import { Supervisor, type StopOutcome } from './supervisor.js';

/** Start (and reverse stop) order: NATS, model-server, learner, then the actors together. */
const STAGE = { nats: 0, modelServer: 1, learner: 2, actors: 3 } as const;

export interface StackConfig extends StackSettings {
  actors: number;
  /** An existing NATS to use; null starts nats-server from PATH. */
  natsUrl: string | null;
  /** Per stage: how long a process may take to stop after SIGTERM before it is killed. */
  stopTimeoutMs: number;
}

export interface Endpoint {
  grpc: string | null;
  metrics: string | null;
  pid: number | null;
}

export interface StackEndpoints {
  /** null: no NATS (the single-process stack broadcasts weights in memory). */
  nats: string | null;
  modelServer: Endpoint;
  learner: Endpoint;
  actors: (Endpoint & { name: string })[];
}

export interface StackHooks {
  /** Child output lines. */
  log: LogSink;
  /** Notices for the user (unexpected exits, actors that failed to start). */
  notice(text: string): void;
}

export interface RunningStack {
  endpoints: StackEndpoints;
  /** Stops actors, learner, model-server, then NATS (if started here), each stage within the stop timeout. */
  stop(): Promise<StopOutcome[]>;
  /** SIGKILLs every child at once (a second Ctrl-C, or the CLI process exiting). */
  killAll(): void;
}

function endpointOf(info: ReadyInfo, pid: number | undefined): Endpoint {
  return { grpc: info.grpc ?? null, metrics: info.metrics ?? null, pid: pid ?? null };
}

/** Starts nats-server under the data dir (stopped last); or returns the given URL (not ours to stop). */
async function startNats(config: StackConfig, supervisor: Supervisor): Promise<string> {
  if (config.natsUrl !== null) return config.natsUrl;
  const spec = await natsServerSpec(config.dataDir, config.readyTimeoutMs);
  try {
    await supervisor.spawn(spec, STAGE.nats).ready;
  } catch (e) {
    if (!(e instanceof ChildStartError)) throw e;
    throw new StackStartError(`${e.message}\nnats-server is needed for the weight broadcast: install it (Debian: apt-get install nats-server) or pass --nats-url`);
  }
  return spec.url;
}

/** Spawns a service the rest of the stack depends on and waits for its READY line with a gRPC address. */
async function startRequired(supervisor: Supervisor, spec: Parameters<Supervisor['spawn']>[0], stage: number, role: string): Promise<Endpoint> {
  const child = supervisor.spawn(spec, stage);
  let info: ReadyInfo;
  try {
    info = await child.ready;
  } catch (e) {
    if (!(e instanceof ChildStartError)) throw e;
    throw new StackStartError(`the stack cannot run without the ${role}: ${e.message}`);
  }
  if (info.grpc === undefined) throw new StackStartError(`${spec.name}'s READY line names no gRPC address: ${JSON.stringify(info)}`);
  return endpointOf(info, child.process.pid);
}

/** Starts the actors together; one that fails is reported and left out, but at least one must come up. */
async function startActors(config: StackConfig, wiring: Wiring, supervisor: Supervisor, hooks: StackHooks): Promise<StackEndpoints['actors']> {
  const children = Array.from({ length: config.actors }, (_, i) => supervisor.spawn(actorSpec(i + 1, config, wiring), STAGE.actors));
  const results = await Promise.allSettled(children.map((c) => c.ready));
  const actors: StackEndpoints['actors'] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') actors.push({ name: children[i].name, ...endpointOf(r.value, children[i].process.pid) });
    else hooks.notice(`${(r.reason as Error).message}\n(continuing without ${children[i].name})`);
  });
  if (actors.length === 0) throw new StackStartError(`none of the ${config.actors} actor(s) started; see the messages above`);
  return actors;
}

/** Rejects with StackStartError once `signal` is aborted (never settles without a signal). */
function interruption(signal: AbortSignal | undefined): Promise<never> {
  const p = new Promise<never>((_, reject) => {
    const fail = (): void => reject(new StackStartError(`start-up interrupted (${String(signal?.reason ?? 'aborted')}); stopped what had started`));
    if (signal?.aborted) fail();
    else signal?.addEventListener('abort', fail, { once: true });
  });
  p.catch(() => undefined);
  return p;
}

/**
 * Starts the whole stack. On any start-up failure, or when `abort` fires first, it stops what it had
 * started and throws StackStartError.
 */
export async function startStack(config: StackConfig, hooks: StackHooks, abort?: AbortSignal): Promise<RunningStack> {
  mkdirSync(config.dataDir, { recursive: true });
  const supervisor = new Supervisor({
    log: hooks.log,
    onUnexpectedExit: (name, exit) =>
      hooks.notice(`${name} exited unexpectedly with ${describeExit(exit)}; the other processes keep running (nothing is restarted)`),
  });
  const interrupted = interruption(abort);
  const step = <T>(p: Promise<T>): Promise<T> => Promise.race([p, interrupted]);
  try {
    const wiring: Wiring = { natsUrl: await step(startNats(config, supervisor)) };
    const modelServer = await step(startRequired(supervisor, modelServerSpec(config, wiring), STAGE.modelServer, 'model-server'));
    wiring.modelServerGrpc = modelServer.grpc ?? undefined;
    const learner = await step(startRequired(supervisor, learnerSpec(config, wiring), STAGE.learner, 'learner'));
    wiring.learnerGrpc = learner.grpc ?? undefined;
    const actors = await step(startActors(config, wiring, supervisor, hooks));
    return {
      endpoints: { nats: wiring.natsUrl, modelServer, learner, actors },
      stop: () => supervisor.stopAll(config.stopTimeoutMs),
      killAll: () => supervisor.killAll(),
    };
  } catch (e) {
    await supervisor.stopAll(config.stopTimeoutMs);
    throw e;
  }
}
