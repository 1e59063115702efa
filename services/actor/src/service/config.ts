/**
 * The actor's typed config: defaults, then a JSON file, then REVERIE_* env vars, then flags (later
 * wins), with @reverie/telemetry's naming (REVERIE_NUM_ENVS → numEnvs, REVERIE_LEARNER__ADDRESS →
 * learner.address; flags --numEnvs, --num-envs or --learner.address). A bad value fails at start
 * naming the field, where the value came from and why.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ActorConfig {
  actorId: string;
  env: string;
  numEnvs: number;
  workers: number;
  /** Steps per trajectory chunk (T). */
  chunkSteps: number;
  seed: number;
  /** Exploration once weights have arrived (before, every action is uniform). */
  epsilon: number;
  /** Chunks sent to the learner and not yet acknowledged, at most. */
  window: number;
  /** Weights are followed under this name; empty: `<env>-dqn`, as the learner names them. */
  policy: string;
  learner: { address: string; token: string };
  /** Late joiners fetch the newest weights here; empty: wait for the next announcement. */
  modelServer: { address: string };
  /** Empty: no weight updates (the actor keeps acting uniformly at random). */
  nats: { url: string; user: string; password: string };
  metricsHost: string;
  /** 0 picks a free port. */
  metricsPort: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** How long SIGTERM waits for unacknowledged chunks before giving up on them. */
  shutdownGraceMs: number;
}

type Field =
  | { kind: 'string'; choices?: readonly string[] }
  | { kind: 'int' | 'number'; min: number; max?: number };

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;

/** Every field by its dotted path. */
export const CONFIG_FIELDS: Record<string, Field> = {
  actorId: { kind: 'string' },
  env: { kind: 'string' },
  numEnvs: { kind: 'int', min: 1 },
  workers: { kind: 'int', min: 1 },
  chunkSteps: { kind: 'int', min: 1 },
  seed: { kind: 'int', min: 0 },
  epsilon: { kind: 'number', min: 0, max: 1 },
  window: { kind: 'int', min: 1 },
  policy: { kind: 'string' },
  'learner.address': { kind: 'string' },
  'learner.token': { kind: 'string' },
  'modelServer.address': { kind: 'string' },
  'nats.url': { kind: 'string' },
  'nats.user': { kind: 'string' },
  'nats.password': { kind: 'string' },
  metricsHost: { kind: 'string' },
  metricsPort: { kind: 'int', min: 0, max: 65535 },
  logLevel: { kind: 'string', choices: LOG_LEVELS },
  shutdownGraceMs: { kind: 'int', min: 0 },
};

export function defaultConfig(): ActorConfig {
  return {
    actorId: `actor-${hostname()}-${process.pid}`,
    env: 'CartPole-v1',
    numEnvs: 64,
    workers: 2,
    chunkSteps: 128,
    seed: 0,
    epsilon: 0.05,
    window: 4,
    policy: '',
    learner: { address: '127.0.0.1:50552', token: '' },
    modelServer: { address: '' },
    nats: { url: '', user: '', password: '' },
    metricsHost: '127.0.0.1',
    metricsPort: 9553,
    logLevel: 'info',
    shutdownGraceMs: 10_000,
  };
}

export class ActorConfigError extends Error {
  override name = 'ActorConfigError';
}

export interface LoadActorConfigOptions {
  /** A JSON file whose keys are config fields (nested objects for dotted ones). */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Field paths (camel or kebab case) to values, e.g. from node:util parseArgs. */
  flags?: Record<string, string | undefined>;
}

export function loadActorConfig(opts: LoadActorConfigOptions = {}): ActorConfig {
  const config = defaultConfig();
  const target = config as unknown as Record<string, unknown>;
  if (opts.file !== undefined) {
    for (const [path, value] of flatten(readJson(opts.file))) set(target, path, value, `file ${opts.file}`);
  }
  const env = opts.env ?? process.env;
  for (const path of Object.keys(CONFIG_FIELDS)) {
    const name = envName(path);
    if (env[name] !== undefined) set(target, path, env[name], `env ${name}`);
  }
  for (const [flag, value] of Object.entries(opts.flags ?? {})) {
    if (value !== undefined) set(target, camel(flag), value, `flag --${flag}`);
  }
  if (config.policy === '') config.policy = `${config.env.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}-dqn`;
  if (config.actorId === '') throw new ActorConfigError('config actorId: must not be empty');
  if (config.workers > config.numEnvs) throw new ActorConfigError(`config workers (${config.workers}) must not exceed numEnvs (${config.numEnvs})`);
  return config;
}

/** REVERIE_ + the path in upper snake case, `__` between nesting levels. */
export function envName(path: string): string {
  return `REVERIE_${path
    .split('.')
    .map((p) => p.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase())
    .join('__')}`;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function set(target: Record<string, unknown>, path: string, raw: unknown, source: string): void {
  const field = CONFIG_FIELDS[path];
  if (field === undefined) throw new ActorConfigError(`config ${path} (${source}): unknown field; fields are ${Object.keys(CONFIG_FIELDS).join(', ')}`);
  const keys = path.split('.');
  const parent = keys.slice(0, -1).reduce((obj, key) => obj[key] as Record<string, unknown>, target);
  parent[keys[keys.length - 1]] = parse(path, field, raw, source);
}

function parse(path: string, field: Field, raw: unknown, source: string): string | number {
  const bad = (why: string): never => {
    throw new ActorConfigError(`config ${path} (${source}): ${why}, got ${JSON.stringify(raw)}`);
  };
  if (field.kind === 'string') {
    if (typeof raw !== 'string') return bad('expected a string');
    if (field.choices && !field.choices.includes(raw)) bad(`expected one of ${field.choices.join(', ')}`);
    return raw;
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) return bad(`expected a ${field.kind === 'int' ? 'whole number' : 'number'}`);
  if (field.kind === 'int' && !Number.isSafeInteger(n)) bad('expected a whole number');
  if (n < field.min) bad(`must be at least ${field.min}`);
  if (field.max !== undefined && n > field.max) bad(`must be at most ${field.max}`);
  return n;
}

function readJson(file: string): Record<string, unknown> {
  if (!file.endsWith('.json')) throw new ActorConfigError(`config file ${file}: only JSON files are read`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ActorConfigError(`config file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new ActorConfigError(`config file ${file}: expected a JSON object`);
  return data as Record<string, unknown>;
}

/** [dotted path, leaf value] of a parsed file. */
function flatten(obj: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(obj).flatMap(([key, value]): [string, unknown][] => {
    const path = prefix + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(path in CONFIG_FIELDS)) return flatten(value as Record<string, unknown>, `${path}.`);
    return [[path, value]];
  });
}
