import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isPlainObject } from './schema-shape.js';

/** One value from env or flags, addressed by its field path. */
export interface ConfigEntry {
  segments: string[];
  value: unknown;
  origin: string;
}

/** The merged raw config plus where each leaf value came from (dotted path -> origin). */
export interface ConfigLayers {
  value: Record<string, unknown>;
  origins: Map<string, string>;
}

// Raw config keys come from files and env; defineProperty keeps a key named `__proto__`
// an ordinary property instead of replacing the object's prototype.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function forgetBelow(origins: Map<string, string>, path: string): void {
  for (const key of origins.keys()) if (key.startsWith(`${path}.`)) origins.delete(key);
}

function objectAt(layers: ConfigLayers, segments: readonly string[]): Record<string, unknown> {
  let node = layers.value;
  segments.forEach((segment, i) => {
    const child = Object.hasOwn(node, segment) ? node[segment] : undefined; // never walk into a prototype
    if (isPlainObject(child)) {
      node = child;
      return;
    }
    layers.origins.delete(segments.slice(0, i + 1).join('.')); // a leaf becomes an object
    const created: Record<string, unknown> = {};
    setOwn(node, segment, created);
    node = created;
  });
  return node;
}

/** Writes `value` at `segments`, deep-merging plain objects so a later source only overrides what it sets. */
export function assign(layers: ConfigLayers, segments: string[], value: unknown, origin: string): void {
  if (isPlainObject(value)) {
    objectAt(layers, segments);
    for (const key of Object.keys(value)) assign(layers, [...segments, key], value[key], origin);
    return;
  }
  if (segments.length === 0) return; // a non-object root is rejected before it gets here
  const path = segments.join('.');
  setOwn(objectAt(layers, segments.slice(0, -1)), segments[segments.length - 1], value);
  forgetBelow(layers.origins, path);
  layers.origins.set(path, origin);
}

function parseFileText(file: string, text: string): unknown {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return JSON.parse(text);
  if (ext === '.yaml' || ext === '.yml') return parseYaml(text);
  throw new Error(`unsupported config file extension "${ext}" (use .json, .yaml or .yml)`);
}

/** The file's top-level mapping; throws an Error whose message says what is wrong with the file. */
export function readConfigFile(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  const data = parseFileText(file, text);
  if (data === null || data === undefined) return {}; // an empty YAML file
  if (!isPlainObject(data)) throw new Error('the file must hold a mapping of field names to values');
  return data;
}

/** `GRPC_PORT` -> `grpcPort`, `LAYER_2_SIZE` -> `layer2Size`. */
export function camelFromEnv(segment: string): string {
  const words = segment.toLowerCase().split('_').filter((word) => word.length > 0);
  return words.map((word, i) => (i === 0 ? word : word[0].toUpperCase() + word.slice(1))).join('');
}

/** `grpcPort` -> `GRPC_PORT`. */
export function envFromCamel(segment: string): string {
  return segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** `grpc-port` -> `grpcPort`; camelCase keys pass through unchanged. */
function camelFromKebab(segment: string): string {
  return segment.replace(/-+([a-zA-Z0-9])/g, (_match, char: string) => char.toUpperCase());
}

/** `REVERIE_NATS__URL=x` -> segments [nats, url]; vars without the prefix are skipped. */
export function envEntries(env: NodeJS.ProcessEnv, prefix: string): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.startsWith(prefix) || name.length === prefix.length) continue;
    const segments = name.slice(prefix.length).split('__').map(camelFromEnv);
    if (segments.some((segment) => segment.length === 0)) continue;
    entries.push({ segments, value, origin: `env ${name}` });
  }
  return entries;
}

/** `{ 'nats.url': x, 'grpc-port': 1 }` -> entries; undefined values are skipped. */
export function flagEntries(flags: Record<string, unknown>): ConfigEntry[] {
  return Object.entries(flags)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({
      segments: key.split('.').map(camelFromKebab),
      value,
      origin: `flag --${key}`,
    }));
}
