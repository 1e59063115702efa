/**
 * How `reverie stack up` launches each service process: its entry file, and the REVERIE_* settings
 * that wire it to the endpoints the services before it reported in their READY lines.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildSpec } from './child.js';

export type ServiceName = 'model-server' | 'learner' | 'actor';

/** Algorithms the learner service trains. */
export const STACK_ALGOS = ['dqn', 'dyna-dqn'] as const;
export type StackAlgo = (typeof STACK_ALGOS)[number];

/** The stack could not start; the message says which part and why. */
export class StackStartError extends Error {
  override name = 'StackStartError';
}

/** The repository's services/ folder (this file is packages/cli/{src,dist}/stack/services.{ts,js}). */
export function defaultServicesDir(): string {
  return fileURLToPath(new URL('../../../../services/', import.meta.url));
}

/** `<servicesDir>/<name>/dist/main.js`, or a StackStartError saying to build it. */
export function serviceEntry(servicesDir: string, name: ServiceName): string {
  const entry = join(servicesDir, name, 'dist', 'main.js');
  if (!existsSync(entry)) {
    throw new StackStartError(`${name}: ${entry} does not exist; build the services first (npx tsc -b at the repository root)`);
  }
  return entry;
}

/** What every service of one stack shares. */
export interface StackSettings {
  servicesDir: string;
  dataDir: string;
  env: string;
  algo: StackAlgo;
  envsPerActor: number;
  /** Worker threads per actor (at most envsPerActor). */
  workersPerActor: number;
  seed: number;
  /** Bearer token the learner presents to the model-server for PublishWeights. */
  token: string;
  readyTimeoutMs: number;
}

/** Endpoints known so far, as the services' READY lines gave them. */
export interface Wiring {
  natsUrl: string;
  modelServerGrpc?: string;
  learnerGrpc?: string;
}

/** The policy name the learner publishes under and the model-server serves by default, e.g. cartpole-v1-dqn. */
export function stackPolicyName(s: Pick<StackSettings, 'env' | 'algo'>): string {
  return `${s.env.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}-${s.algo}`;
}

function launch(name: string, service: ServiceName, s: StackSettings, env: Record<string, string>): ChildSpec {
  return {
    name,
    command: process.execPath,
    args: [serviceEntry(s.servicesDir, service)],
    cwd: s.servicesDir,
    // Everything on loopback with ports picked by the OS: the READY line says which.
    env: {
      ...process.env,
      REVERIE_GRPC_HOST: '127.0.0.1',
      REVERIE_GRPC_PORT: '0',
      REVERIE_METRICS_HOST: '127.0.0.1',
      REVERIE_METRICS_PORT: '0',
      ...env,
    },
    readyTimeoutMs: s.readyTimeoutMs,
  };
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new StackStartError(`internal: ${what} is not known yet`);
  return value;
}

/** services/model-server config names (its config.ts): storeDir, nats.url, token, defaultPolicy. */
export function modelServerSpec(s: StackSettings, w: Wiring): ChildSpec {
  return launch('model-server', 'model-server', s, {
    REVERIE_NATS__URL: w.natsUrl,
    REVERIE_STORE_DIR: join(s.dataDir, 'model-server'),
    REVERIE_TOKEN: s.token,
    REVERIE_DEFAULT_POLICY: stackPolicyName(s),
  });
}

/** services/learner config names (its config.ts): modelServer, modelServerToken, checkpointDir, env, algo, policy, seed. */
export function learnerSpec(s: StackSettings, w: Wiring): ChildSpec {
  return launch('learner', 'learner', s, {
    REVERIE_MODEL_SERVER: required(w.modelServerGrpc, 'the model-server address'),
    REVERIE_MODEL_SERVER_TOKEN: s.token,
    REVERIE_CHECKPOINT_DIR: join(s.dataDir, 'learner'),
    REVERIE_ENV: s.env,
    REVERIE_ALGO: s.algo,
    REVERIE_POLICY: stackPolicyName(s),
    REVERIE_SEED: String(s.seed),
  });
}

/** services/actor config names (its service/config.ts): actorId, env, numEnvs, workers, learner.address, modelServer.address, nats.url. */
export function actorSpec(index: number, s: StackSettings, w: Wiring): ChildSpec {
  return launch(`actor-${index}`, 'actor', s, {
    REVERIE_ACTOR_ID: `actor-${index}`,
    REVERIE_NATS__URL: w.natsUrl,
    REVERIE_LEARNER__ADDRESS: required(w.learnerGrpc, 'the learner address'),
    REVERIE_MODEL_SERVER__ADDRESS: required(w.modelServerGrpc, 'the model-server address'),
    REVERIE_ENV: s.env,
    REVERIE_NUM_ENVS: String(s.envsPerActor),
    REVERIE_WORKERS: String(Math.min(s.workersPerActor, s.envsPerActor)),
    REVERIE_POLICY: stackPolicyName(s),
    // Each actor steps and explores with its own seeds.
    REVERIE_SEED: String(s.seed + 1000 * index),
  });
}
