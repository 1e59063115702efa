import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config-error.js';
import {
  assign,
  envEntries,
  envFromCamel,
  flagEntries,
  readConfigFile,
  type ConfigEntry,
  type ConfigLayers,
} from './config-sources.js';
import { fieldAt, unknownKeys } from './schema-shape.js';

export interface LoadConfigOptions {
  /** Named in error messages. */
  service: string;
  /** A .json, .yaml or .yml file; its keys must all be schema fields. */
  file?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to `REVERIE_`. */
  envPrefix?: string;
  /** Highest precedence; keys are field names (`grpcPort` or `grpc-port`, dotted for nested). */
  flags?: Record<string, unknown>;
}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/** A boolean that also accepts the strings (and numbers) true/false, 1/0, yes/no, as env vars give. */
export function zBool() {
  return z.union([z.boolean(), z.number(), z.string()]).transform((input, ctx) => {
    if (typeof input === 'boolean') return input;
    const word = String(input).trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    ctx.issues.push({
      code: 'custom',
      input,
      message: `expected a boolean (true/false, 1/0, yes/no), received "${String(input)}"`,
    });
    return z.NEVER;
  });
}

function sourceOf(layers: ConfigLayers, path: string, opts: LoadConfigOptions): string {
  const exact = layers.origins.get(path);
  if (exact) return exact;
  const segments = path.split('.');
  for (let i = segments.length - 1; i > 0; i--) {
    const ancestor = layers.origins.get(segments.slice(0, i).join('.'));
    if (ancestor) return ancestor; // e.g. an array or string set where an object was expected
  }
  const below = [...layers.origins].filter(([key]) => path === '' || key.startsWith(`${path}.`));
  if (below.length > 0) return [...new Set(below.map(([, origin]) => origin))].join(', ');
  const env = (opts.envPrefix ?? 'REVERIE_') + segments.map(envFromCamel).join('__');
  const where = opts.file ? `file ${opts.file}, ` : '';
  return `not set in ${where}env ${env} or flag --${path}`;
}

/** Merges the file into `layers` and returns its unknown keys; an unreadable file throws at once. */
function readFileLayer(schema: z.ZodType, layers: ConfigLayers, opts: LoadConfigOptions): ConfigIssue[] {
  if (opts.file === undefined) return [];
  const origin = `file ${opts.file}`;
  let data: Record<string, unknown>;
  try {
    data = readConfigFile(opts.file);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new ConfigError(opts.service, [{ path: '', source: origin, message }]);
  }
  assign(layers, [], data, origin);
  return unknownKeys(schema, data).map((path) => ({ path, source: origin, message: 'unknown key' }));
}

// Env and flags may carry settings for other services or non-config options, so entries that
// do not name a schema field are skipped rather than rejected.
function applyEntries(schema: z.ZodType, layers: ConfigLayers, entries: ConfigEntry[]): void {
  for (const entry of entries) {
    if (fieldAt(schema, entry.segments)) assign(layers, entry.segments, entry.value, entry.origin);
  }
}

/**
 * Builds a service config from a file, then `REVERIE_*` env vars, then flags (later wins) and
 * validates it with `schema`. Throws ConfigError naming every bad field, its source and why.
 */
export function loadConfig<S extends z.ZodType>(schema: S, opts: LoadConfigOptions): z.infer<S> {
  const layers: ConfigLayers = { value: {}, origins: new Map() };
  const fileIssues = readFileLayer(schema, layers, opts);
  applyEntries(schema, layers, envEntries(opts.env ?? process.env, opts.envPrefix ?? 'REVERIE_'));
  applyEntries(schema, layers, flagEntries(opts.flags ?? {}));
  const result = schema.safeParse(layers.value);
  const schemaIssues = result.success
    ? []
    : result.error.issues
        // a strict object's own unknown-key issue repeats the file check above
        .filter((issue) => !(issue.code === 'unrecognized_keys' && fileIssues.length > 0))
        .map((issue) => {
          const path = issue.path.map(String).join('.');
          return { path, source: sourceOf(layers, path, opts), message: issue.message };
        });
  const issues = [...fileIssues, ...schemaIssues];
  if (issues.length > 0 || !result.success) throw new ConfigError(opts.service, issues);
  return result.data;
}
