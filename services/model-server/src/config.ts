/**
 * The model-server's configuration: a JSON file, then REVERIE_* environment variables, then flags
 * (later wins), with the naming convention of @reverie/telemetry's loadConfig (REVERIE_GRPC_PORT →
 * grpcPort, REVERIE_NATS__URL → nats.url). Every bad value fails at start naming the field and its source.
 */
import { readFileSync } from 'node:fs';

export interface ModelServerConfig {
  grpcHost: string;
  /** 0 picks a free port. */
  grpcPort: number;
  metricsHost: string;
  metricsPort: number;
  storeDir: string;
  keepVersions: number;
  /** The policy an ActRequest with an empty `policy` means. */
  defaultPolicy?: string;
  /** Without it the server runs with the in-process broadcast (gRPC clients and in-process actors). */
  nats?: { url: string; user?: string; pass?: string; nkeySeed?: string };
  /** Bearer token required by PublishWeights. */
  token?: string;
  tls?: { certFile: string; keyFile: string; caFile?: string; requireClientCert?: boolean };
  maxBatch: number;
  maxQueueDelayMs: number;
  policyCacheSize: number;
  maxWeightsBytes: number;
  maxObservationBytes: number;
  maxMessageBytes: number;
  shutdownGraceMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

type Kind = 'string' | 'int' | 'bool' | 'level';
interface Field {
  kind: Kind;
  default?: string | number | boolean;
  min?: number;
}

const MiB = 1024 * 1024;

/** Every field, by its dotted name, with its type and default. */
export const CONFIG_FIELDS: Readonly<Record<string, Field>> = {
  grpcHost: { kind: 'string', default: '127.0.0.1' },
  grpcPort: { kind: 'int', default: 50551, min: 0 },
  metricsHost: { kind: 'string', default: '127.0.0.1' },
  metricsPort: { kind: 'int', default: 9551, min: 0 },
  storeDir: { kind: 'string', default: './reverie-weights' },
  keepVersions: { kind: 'int', default: 10, min: 1 },
  defaultPolicy: { kind: 'string' },
  'nats.url': { kind: 'string' },
  'nats.user': { kind: 'string' },
  'nats.pass': { kind: 'string' },
  'nats.nkeySeed': { kind: 'string' },
  token: { kind: 'string' },
  'tls.certFile': { kind: 'string' },
  'tls.keyFile': { kind: 'string' },
  'tls.caFile': { kind: 'string' },
  'tls.requireClientCert': { kind: 'bool', default: false },
  maxBatch: { kind: 'int', default: 64, min: 1 },
  maxQueueDelayMs: { kind: 'int', default: 0, min: 0 },
  policyCacheSize: { kind: 'int', default: 8, min: 1 },
  maxWeightsBytes: { kind: 'int', default: 256 * MiB, min: 1 },
  maxObservationBytes: { kind: 'int', default: 4 * MiB, min: 1 },
  maxMessageBytes: { kind: 'int', default: 16 * MiB, min: 1024 },
  shutdownGraceMs: { kind: 'int', default: 10_000, min: 0 },
  logLevel: { kind: 'level', default: 'info' },
};

export class ModelServerConfigError extends Error {
  override name = 'ModelServerConfigError';
}

type Value = string | number | boolean;

function envName(field: string): string {
  return `REVERIE_${field.split('.').map((s) => s.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()).join('__')}`;
}

function coerce(field: string, raw: unknown, source: string): Value {
  const spec = CONFIG_FIELDS[field];
  const bad = (why: string): never => {
    throw new ModelServerConfigError(`model-server config: ${field} (from ${source}): ${why}, got ${JSON.stringify(raw)}`);
  };
  if (spec.kind === 'int') {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n)) return bad('expected an integer');
    if (spec.min !== undefined && n < spec.min) return bad(`expected an integer >= ${spec.min}`);
    return n;
  }
  if (spec.kind === 'bool') {
    const word = String(raw).trim().toLowerCase();
    if (['true', '1', 'yes'].includes(word)) return true;
    if (['false', '0', 'no'].includes(word)) return false;
    return bad('expected true/false, 1/0 or yes/no');
  }
  if (typeof raw !== 'string' || raw === '') return bad('expected a non-empty string');
  if (spec.kind === 'level' && !['debug', 'info', 'warn', 'error', 'silent'].includes(raw)) return bad('expected debug, info, warn, error or silent');
  return raw;
}

/** Flattens a parsed file into dotted names; an unknown key is an error. */
function flattenFile(obj: Record<string, unknown>, file: string, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(name in CONFIG_FIELDS)) flattenFile(v as Record<string, unknown>, file, name, out);
    else if (name in CONFIG_FIELDS) out.set(name, v);
    else throw new ModelServerConfigError(`model-server config: unknown key ${name} in file ${file}`);
  }
  return out;
}

export interface LoadOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Dotted field names (grpcPort, nats.url) to values. */
  flags?: Record<string, unknown>;
}

export function loadModelServerConfig(opts: LoadOptions = {}): ModelServerConfig {
  const values = new Map<string, Value>();
  if (opts.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(opts.file, 'utf8'));
    } catch (err) {
      throw new ModelServerConfigError(`model-server config: cannot read ${opts.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const [k, v] of flattenFile(parsed as Record<string, unknown>, opts.file)) values.set(k, coerce(k, v, `file ${opts.file}`));
  }
  const env = opts.env ?? process.env;
  for (const field of Object.keys(CONFIG_FIELDS)) {
    const raw = env[envName(field)];
    if (raw !== undefined) values.set(field, coerce(field, raw, `env ${envName(field)}`));
  }
  for (const [k, v] of Object.entries(opts.flags ?? {})) {
    if (!(k in CONFIG_FIELDS)) throw new ModelServerConfigError(`model-server config: unknown flag --${k}`);
    if (v !== undefined) values.set(k, coerce(k, v, `flag --${k}`));
  }
  return assemble(values);
}

function assemble(values: Map<string, Value>): ModelServerConfig {
  const get = <T extends Value>(k: string): T | undefined => (values.get(k) ?? CONFIG_FIELDS[k].default) as T | undefined;
  const cfg: ModelServerConfig = {
    grpcHost: get('grpcHost')!,
    grpcPort: get('grpcPort')!,
    metricsHost: get('metricsHost')!,
    metricsPort: get('metricsPort')!,
    storeDir: get('storeDir')!,
    keepVersions: get('keepVersions')!,
    defaultPolicy: get('defaultPolicy'),
    token: get('token'),
    maxBatch: get('maxBatch')!,
    maxQueueDelayMs: get('maxQueueDelayMs')!,
    policyCacheSize: get('policyCacheSize')!,
    maxWeightsBytes: get('maxWeightsBytes')!,
    maxObservationBytes: get('maxObservationBytes')!,
    maxMessageBytes: get('maxMessageBytes')!,
    shutdownGraceMs: get('shutdownGraceMs')!,
    logLevel: get('logLevel')!,
  };
  const url = get<string>('nats.url');
  if (url) cfg.nats = { url, user: get('nats.user'), pass: get('nats.pass'), nkeySeed: get('nats.nkeySeed') };
  const certFile = get<string>('tls.certFile');
  const keyFile = get<string>('tls.keyFile');
  if (!certFile !== !keyFile) throw new ModelServerConfigError('model-server config: tls.certFile and tls.keyFile must be set together');
  if (certFile && keyFile) cfg.tls = { certFile, keyFile, caFile: get('tls.caFile'), requireClientCert: get('tls.requireClientCert') };
  return cfg;
}

/** The config with every default (tests and the single-process mode override what they need). */
export function defaultModelServerConfig(overrides: Partial<ModelServerConfig> = {}): ModelServerConfig {
  return { ...loadModelServerConfig({ env: {} }), ...overrides };
}
