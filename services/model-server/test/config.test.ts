import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelServerConfig, ModelServerConfigError } from '../src/index.js';
import { tempDir } from './helpers.js';

describe('model-server config', () => {
  it('has loopback defaults and layers file < REVERIE_* env < flags', () => {
    const defaults = loadModelServerConfig({ env: {} });
    expect(defaults).toMatchObject({ grpcHost: '127.0.0.1', grpcPort: 50551, metricsHost: '127.0.0.1', keepVersions: 10, maxBatch: 64, maxQueueDelayMs: 0 });
    expect(defaults.nats).toBeUndefined();
    expect(defaults.tls).toBeUndefined();
    const file = join(tempDir(), 'ms.json');
    writeFileSync(file, JSON.stringify({ grpcPort: 6000, keepVersions: 3, nats: { url: 'nats://a:1', user: 'u' }, token: 'from-file' }));
    const cfg = loadModelServerConfig({
      file,
      env: { REVERIE_GRPC_PORT: '7000', REVERIE_NATS__URL: 'nats://b:2', REVERIE_MAX_BATCH: '32' },
      flags: { grpcPort: '8000', 'tls.certFile': 'c.pem', 'tls.keyFile': 'k.pem' },
    });
    expect(cfg).toMatchObject({ grpcPort: 8000, keepVersions: 3, maxBatch: 32, token: 'from-file', nats: { url: 'nats://b:2', user: 'u' } });
    expect(cfg.tls).toEqual({ certFile: 'c.pem', keyFile: 'k.pem', caFile: undefined, requireClientCert: false });
  });

  it('names the field and its source when a value is bad', () => {
    expect(() => loadModelServerConfig({ env: { REVERIE_KEEP_VERSIONS: '0' } })).toThrow(
      /keepVersions \(from env REVERIE_KEEP_VERSIONS\): expected an integer >= 1, got "0"/,
    );
    expect(() => loadModelServerConfig({ env: {}, flags: { maxBatch: 'lots' } })).toThrow(/maxBatch \(from flag --maxBatch\): expected an integer/);
    expect(() => loadModelServerConfig({ env: {}, flags: { 'tls.certFile': 'c.pem' } })).toThrow(/tls.certFile and tls.keyFile must be set together/);
    const file = join(tempDir(), 'bad.json');
    writeFileSync(file, JSON.stringify({ grpcPrt: 1 }));
    expect(() => loadModelServerConfig({ file, env: {} })).toThrow(ModelServerConfigError);
    expect(() => loadModelServerConfig({ file, env: {} })).toThrow(/unknown key grpcPrt/);
  });
});
