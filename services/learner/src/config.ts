/**
 * The learner's typed config: defaults, then `REVERIE_*` env vars (REVERIE_GRPC_PORT → grpcPort),
 * then flags (--grpc-port). Every field is declared once in FIELDS; a bad value fails at start with
 * an error naming the field and where the value came from.
 */
import { DQN_DEFAULTS } from './algo/dqn.js';
import { DYNA_DQN_DEFAULTS } from './algo/dynaDqn.js';

export interface LearnerConfig {
  grpcHost: string;
  grpcPort: number;
  metricsHost: string;
  /** 0 picks a free port. */
  metricsPort: number;
  /** dqn / dyna-dqn: Box observations; q-learning / dyna-q: Discrete observations. */
  algo: 'dqn' | 'dyna-dqn' | 'q-learning' | 'dyna-q';
  env: string;
  /** Name weights are published under (default: derived from env and algo, e.g. cartpole-v1-dqn). */
  policy: string;
  backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  seed: number;
  hidden: number[];
  lr: number;
  gamma: number;
  tau: number;
  /** Tabular step size. */
  alpha: number;
  /** Dyna-q planning backups per replayed transition. */
  planningSteps: number;
  /** Dyna-dqn: fraction of each minibatch from real transitions once the model has made some. */
  realRatio: number;
  /** Dyna-dqn: retrain the world model every this many updates. */
  modelTrainEvery: number;
  /** Dyna-dqn: real states each batch of model rollouts branches from. */
  rolloutStarts: number;
  /** Dyna-dqn: weight of the termination cross-entropy in the world model's loss. */
  modelTerminationWeight: number;
  /** Dyna-dqn: model steps per rollout row (k). */
  rolloutHorizon: number;
  /** Dyna-dqn: what a rollout row stores: every imagined step ('one-step') or one k-step return ('n-step'). */
  rolloutTargets: 'one-step' | 'n-step';
  batchSize: number;
  replayCapacity: number;
  learningStarts: number;
  updatesPerStep: number;
  publishEvery: number;
  sliceMs: number;
  /** Empty: no checkpoints and no write-ahead log (acks then mean "in memory"). */
  checkpointDir: string;
  checkpointEvery: number;
  maxChunkSteps: number;
  maxQueue: number;
  /** host:port of the model-server; empty: the learner numbers versions itself. */
  modelServer: string;
  modelServerToken: string;
  modelServerCa: string;
  /** Bearer token callers of LearnerService must present; empty: none. */
  token: string;
  tlsCert: string;
  tlsKey: string;
  tlsCa: string;
  tlsRequireClientCert: boolean;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

type Kind = 'string' | 'int' | 'number' | 'bool' | 'ints';
interface Field {
  kind: Kind;
  /** Values must be above this (exclusive). */
  above?: number;
  min?: number;
  max?: number;
  choices?: readonly string[];
}

export const FIELDS: Record<keyof LearnerConfig, Field> = {
  grpcHost: { kind: 'string' },
  grpcPort: { kind: 'int', min: 0, max: 65535 },
  metricsHost: { kind: 'string' },
  metricsPort: { kind: 'int', min: 0, max: 65535 },
  algo: { kind: 'string', choices: ['dqn', 'dyna-dqn', 'q-learning', 'dyna-q'] },
  env: { kind: 'string', choices: ['CartPole-v1', 'Acrobot-v1', 'MountainCar-v0', 'Taxi-v3', 'FrozenLake-v1', 'FrozenLake8x8-v1'] },
  policy: { kind: 'string' },
  backend: { kind: 'string', choices: ['auto', 'tensorflow', 'wasm', 'cpu'] },
  seed: { kind: 'int', min: 0 },
  hidden: { kind: 'ints', min: 1 },
  lr: { kind: 'number', above: 0 },
  gamma: { kind: 'number', min: 0, max: 1 },
  tau: { kind: 'number', above: 0, max: 1 },
  alpha: { kind: 'number', above: 0, max: 1 },
  planningSteps: { kind: 'int', min: 0 },
  realRatio: { kind: 'number', min: 0, max: 1 },
  modelTrainEvery: { kind: 'int', min: 1 },
  rolloutStarts: { kind: 'int', min: 1 },
  modelTerminationWeight: { kind: 'number', above: 0 },
  rolloutHorizon: { kind: 'int', min: 1 },
  rolloutTargets: { kind: 'string', choices: ['one-step', 'n-step'] },
  batchSize: { kind: 'int', min: 1 },
  replayCapacity: { kind: 'int', min: 1 },
  learningStarts: { kind: 'int', min: 0 },
  updatesPerStep: { kind: 'number', min: 0 },
  publishEvery: { kind: 'int', min: 1 },
  sliceMs: { kind: 'number', min: 0 },
  checkpointDir: { kind: 'string' },
  checkpointEvery: { kind: 'int', min: 1 },
  maxChunkSteps: { kind: 'int', min: 1 },
  maxQueue: { kind: 'int', min: 1 },
  modelServer: { kind: 'string' },
  modelServerToken: { kind: 'string' },
  modelServerCa: { kind: 'string' },
  token: { kind: 'string' },
  tlsCert: { kind: 'string' },
  tlsKey: { kind: 'string' },
  tlsCa: { kind: 'string' },
  tlsRequireClientCert: { kind: 'bool' },
  logLevel: { kind: 'string', choices: ['trace', 'debug', 'info', 'warn', 'error', 'silent'] },
};

export const DEFAULT_CONFIG: LearnerConfig = {
  grpcHost: '127.0.0.1',
  grpcPort: 50552,
  metricsHost: '127.0.0.1',
  metricsPort: 0,
  algo: 'dqn',
  env: 'CartPole-v1',
  policy: '',
  backend: 'auto',
  seed: DQN_DEFAULTS.seed,
  hidden: DQN_DEFAULTS.hidden,
  lr: DQN_DEFAULTS.lr,
  gamma: DQN_DEFAULTS.gamma,
  tau: DQN_DEFAULTS.tau,
  alpha: 0.1,
  planningSteps: 5,
  realRatio: DYNA_DQN_DEFAULTS.realRatio,
  modelTrainEvery: DYNA_DQN_DEFAULTS.modelTrainEvery,
  rolloutStarts: DYNA_DQN_DEFAULTS.rolloutStarts,
  modelTerminationWeight: DYNA_DQN_DEFAULTS.modelTerminationWeight,
  rolloutHorizon: DYNA_DQN_DEFAULTS.rolloutHorizon,
  rolloutTargets: DYNA_DQN_DEFAULTS.rolloutTargets,
  batchSize: DQN_DEFAULTS.batchSize,
  replayCapacity: DQN_DEFAULTS.replayCapacity,
  learningStarts: DQN_DEFAULTS.learningStarts,
  updatesPerStep: 1,
  publishEvery: 100,
  sliceMs: 20,
  checkpointDir: '',
  checkpointEvery: 1000,
  maxChunkSteps: 1 << 16,
  maxQueue: 8,
  modelServer: '',
  modelServerToken: '',
  modelServerCa: '',
  token: '',
  tlsCert: '',
  tlsKey: '',
  tlsCa: '',
  tlsRequireClientCert: false,
  logLevel: 'info',
};

export class LearnerConfigError extends Error {
  override name = 'LearnerConfigError';
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function envName(key: string): string {
  return `REVERIE_${kebab(key).replace(/-/g, '_').toUpperCase()}`;
}

function parseValue(key: string, field: Field, raw: string, source: string): unknown {
  const bad = (why: string): never => {
    throw new LearnerConfigError(`config ${key} (${source}): ${why}, got ${JSON.stringify(raw)}`);
  };
  const inRange = (n: number): number => {
    if (field.above !== undefined && !(n > field.above)) bad(`must be above ${field.above}`);
    if (field.min !== undefined && n < field.min) bad(`must be at least ${field.min}`);
    if (field.max !== undefined && n > field.max) bad(`must be at most ${field.max}`);
    return n;
  };
  switch (field.kind) {
    case 'bool':
      if (/^(true|1|yes)$/i.test(raw)) return true;
      if (/^(false|0|no)$/i.test(raw)) return false;
      return bad('expected true/false');
    case 'int':
    case 'number': {
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n) || (field.kind === 'int' && !Number.isSafeInteger(n))) bad(`expected ${field.kind === 'int' ? 'a whole number' : 'a number'}`);
      return inRange(n);
    }
    case 'ints':
      return raw.split(',').map((part) => {
        const n = Number(part);
        if (!Number.isSafeInteger(n)) bad('expected comma-separated whole numbers');
        return inRange(n);
      });
    default:
      if (field.choices && !field.choices.includes(raw)) bad(`expected one of ${field.choices.join(', ')}`);
      return raw;
  }
}

/** Flag names for node:util parseArgs: every field as a string option, as --grpc-port and --grpcPort. */
export function flagOptions(): Record<string, { type: 'string' }> {
  return Object.fromEntries(Object.keys(FIELDS).flatMap((k) => [[kebab(k), { type: 'string' as const }], [k, { type: 'string' as const }]]));
}

/** Defaults < env < flags (keys in kebab or camel case, as parseArgs returns them) < overrides. */
export function resolveConfig(
  flags: Record<string, string | undefined> = {},
  env: NodeJS.ProcessEnv = {},
  overrides: Partial<LearnerConfig> = {},
): LearnerConfig {
  const out: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, field] of Object.entries(FIELDS)) {
    const fromEnv = env[envName(key)];
    if (fromEnv !== undefined) out[key] = parseValue(key, field, fromEnv, `env ${envName(key)}`);
    const flag = flags[kebab(key)] !== undefined ? kebab(key) : key;
    const fromFlag = flags[flag];
    if (fromFlag !== undefined) out[key] = parseValue(key, field, fromFlag, `flag --${flag}`);
  }
  const config = { ...(out as unknown as LearnerConfig), ...overrides };
  if (config.policy === '') config.policy = `${config.env.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}-${config.algo}`;
  if ((config.tlsCert === '') !== (config.tlsKey === '')) throw new LearnerConfigError('config tlsCert and tlsKey: set both or neither');
  return config;
}
