import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig, zBool } from '../src/index.js';

const schema = z.object({
  grpcPort: z.coerce.number().int().min(1).max(65535),
  logLevel: z.enum(['debug', 'info', 'warn']).default('info'),
  debug: zBool().default(false),
  nats: z.object({
    url: z.url(),
    maxPayloadBytes: z.coerce.number().int().positive().default(1_048_576),
  }),
});

const dir = mkdtempSync(join(tmpdir(), 'reverie-telemetry-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const yamlFile = writeFile('actor.yaml', 'grpcPort: 1000\nlogLevel: debug\nnats:\n  url: nats://file:4222\n  maxPayloadBytes: 2048\n');
const jsonFile = writeFile(
  'actor.json',
  JSON.stringify({ grpcPort: 1000, logLevel: 'debug', nats: { url: 'nats://file:4222', maxPayloadBytes: 2048 } }),
);

/** Runs loadConfig and returns the ConfigError it throws (fails the test if it does not throw). */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig sources', () => {
  it('reads YAML, .yml and JSON files to the same config', () => {
    const ymlFile = writeFile('actor.yml', 'grpcPort: 1000\nlogLevel: debug\nnats: {url: "nats://file:4222", maxPayloadBytes: 2048}\n');
    const expected = { grpcPort: 1000, logLevel: 'debug', debug: false, nats: { url: 'nats://file:4222', maxPayloadBytes: 2048 } };
    for (const file of [yamlFile, ymlFile, jsonFile]) {
      const config = loadConfig(schema, { service: 'actor', file, env: {} });
      expect(config).toEqual(expected);
      expectTypeOf(config).toEqualTypeOf<{
        grpcPort: number;
        logLevel: 'debug' | 'info' | 'warn';
        debug: boolean;
        nats: { url: string; maxPayloadBytes: number };
      }>();
    }
  });

  it('lets env override the file and flags override env; undefined flags are ignored', () => {
    const env = { REVERIE_GRPC_PORT: '2000', REVERIE_LOG_LEVEL: 'warn' };
    expect(loadConfig(schema, { service: 'actor', file: yamlFile, env })).toMatchObject({ grpcPort: 2000, logLevel: 'warn' });
    const flagged = loadConfig(schema, {
      service: 'actor', file: yamlFile, env, flags: { grpcPort: 3000, logLevel: undefined, 'nats.url': 'nats://flag:4222' },
    });
    expect(flagged).toMatchObject({ grpcPort: 3000, logLevel: 'warn', nats: { url: 'nats://flag:4222', maxPayloadBytes: 2048 } });
  });

  it('maps nested env vars with double underscores and merges them into the file values', () => {
    const env = { REVERIE_NATS__URL: 'nats://env:4222', REVERIE_GRPC_PORT: '7000' };
    const config = loadConfig(schema, { service: 'actor', file: yamlFile, env });
    expect(config.nats).toEqual({ url: 'nats://env:4222', maxPayloadBytes: 2048 });
    const fromEnvOnly = loadConfig(schema, {
      service: 'actor', env: { ...env, REVERIE_NATS__MAX_PAYLOAD_BYTES: '512', REVERIE_DEBUG: 'yes' },
    });
    expect(fromEnvOnly).toEqual({ grpcPort: 7000, logLevel: 'info', debug: true, nats: { url: 'nats://env:4222', maxPayloadBytes: 512 } });
  });

  it('accepts kebab-case and nested-object flags', () => {
    const config = loadConfig(schema, {
      service: 'actor', env: {}, flags: { 'grpc-port': '4000', nats: { url: 'nats://flag:1' }, 'nats.max-payload-bytes': 64 },
    });
    expect(config).toMatchObject({ grpcPort: 4000, nats: { url: 'nats://flag:1', maxPayloadBytes: 64 } });
  });

  it('ignores env vars and flags that name no field, and honours envPrefix', () => {
    const env = {
      REVERIE_GRPC_PORT: '5000', REVERIE_NATS__URL: 'nats://env:1', REVERIE_LEARNER_BATCH_SIZE: '64',
      REVERIE_NATS__NOPE: 'x', REVERIE_GRPC_PORT__DEEPER: 'x', REVERIE___PROTO__: 'x', PATH: '/bin',
    };
    expect(loadConfig(schema, { service: 'actor', env, flags: { config: 'x.yaml', help: false } }).grpcPort).toBe(5000);
    const prefixed = loadConfig(schema, { service: 'actor', env: { ...env, ACTOR_GRPC_PORT: '6000', ACTOR_NATS__URL: 'nats://a:1' }, envPrefix: 'ACTOR_' });
    expect(prefixed).toMatchObject({ grpcPort: 6000, nats: { url: 'nats://a:1' } });
  });

  it('zBool accepts true/false, 1/0, yes/no in any case and rejects anything else', () => {
    const cases: Array<[string, boolean]> = [['true', true], ['FALSE', false], ['1', true], ['0', false], ['Yes', true], ['no', false]];
    for (const [text, value] of cases) expect(zBool().parse(text)).toBe(value);
    expect(zBool().parse(true)).toBe(true);
    expect(zBool().parse(0)).toBe(false);
    const err = configError(() => loadConfig(schema, { service: 'actor', file: yamlFile, env: { REVERIE_DEBUG: 'maybe' } }));
    expect(err.message).toContain('debug: expected a boolean (true/false, 1/0, yes/no), received "maybe" (env REVERIE_DEBUG)');
  });
});

describe('loadConfig errors', () => {
  it('names every bad field, its source and the reason', () => {
    const file = writeFile('bad.yaml', 'grpcPort: 1000\nnats:\n  url: not a url\n');
    const err = configError(() =>
      loadConfig(schema, { service: 'actor', file, env: { REVERIE_GRPC_PORT: 'abc' }, flags: { 'log-level': 'loud' } }),
    );
    expect(err.service).toBe('actor');
    expect(err.issues.map((issue) => [issue.path, issue.source])).toEqual([
      ['grpcPort', 'env REVERIE_GRPC_PORT'],
      ['logLevel', 'flag --log-level'],
      ['nats.url', `file ${file}`],
    ]);
    expect(err.message).toMatch(/^invalid config for service "actor":/);
    expect(err.message).toMatch(/grpcPort: .*expected number.* \(env REVERIE_GRPC_PORT\)/);
    expect(err.message).toMatch(/logLevel: .*"debug".* \(flag --log-level\)/);
    expect(err.message).toMatch(new RegExp(`nats\\.url: .*URL.* \\(file ${file.replace(/[.\\/]/g, '\\$&')}\\)`));
  });

  it('says where a missing field could have been set', () => {
    const err = configError(() => loadConfig(schema, { service: 'actor', env: { REVERIE_GRPC_PORT: '1' } }));
    expect(err.issues).toHaveLength(1);
    expect(err.message).toContain('nats: ');
    expect(err.message).toContain('not set in env REVERIE_NATS or flag --nats');
    const nested = configError(() => loadConfig(schema, { service: 'actor', env: { REVERIE_GRPC_PORT: '1' }, flags: { 'nats.maxPayloadBytes': 5 } }));
    expect(nested.message).toContain('nats.url: ');
    expect(nested.message).toContain('not set in env REVERIE_NATS__URL or flag --nats.url');
  });

  it('rejects unknown keys in the file, nested ones too', () => {
    const file = writeFile('typo.json', JSON.stringify({ grpcPort: 1, grpcPrt: 2, nats: { url: 'nats://x:1', extra: true } }));
    const err = configError(() => loadConfig(schema, { service: 'actor', file, env: {} }));
    expect(err.issues).toEqual([
      { path: 'grpcPrt', source: `file ${file}`, message: 'unknown key' },
      { path: 'nats.extra', source: `file ${file}`, message: 'unknown key' },
    ]);
  });

  it('allows extra keys where the schema is a loose object', () => {
    const loose = z.object({ labels: z.looseObject({ team: z.string() }) });
    const file = writeFile('loose.json', JSON.stringify({ labels: { team: 'rl', extra: 'x' } }));
    expect(loadConfig(loose, { service: 'x', file, env: {} })).toEqual({ labels: { team: 'rl', extra: 'x' } });
  });

  it('rejects unknown keys without touching Object.prototype', () => {
    const file = writeFile('proto.json', '{"grpcPort": 1, "nats": {"url": "nats://x:1"}, "__proto__": {"polluted": true}}');
    const err = configError(() => loadConfig(schema, { service: 'actor', file, env: {} }));
    expect(err.issues.map((issue) => issue.path)).toEqual(['__proto__']);
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });

  it('reports unreadable, unparsable and unsupported files by path', () => {
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'missing.yaml'), /ENOENT/],
      [writeFile('broken.yaml', 'grpcPort: [1,\n'), /.+/],
      [writeFile('broken.json', '{"grpcPort": '), /JSON/],
      [writeFile('list.yaml', '- 1\n- 2\n'), /mapping/],
      [writeFile('actor.toml', 'grpcPort = 1'), /unsupported config file extension "\.toml"/],
    ];
    for (const [file, reason] of cases) {
      const err = configError(() => loadConfig(schema, { service: 'actor', file, env: {} }));
      expect(err.issues).toHaveLength(1);
      expect(err.issues[0].source).toBe(`file ${file}`);
      expect(err.issues[0].message).toMatch(reason);
    }
  });
});
