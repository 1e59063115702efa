import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, LearnerConfigError, resolveConfig } from '../src/index.js';

describe('learner config', () => {
  it('takes defaults, then REVERIE_* env, then flags (kebab or camel case)', () => {
    expect(resolveConfig().grpcPort).toBe(50552);
    expect(resolveConfig().policy).toBe('cartpole-v1-dqn');
    const env = { REVERIE_GRPC_PORT: '6000', REVERIE_LR: '0.002', REVERIE_HIDDEN: '32,16', REVERIE_TLS_REQUIRE_CLIENT_CERT: 'yes' };
    const c = resolveConfig({ 'grpc-port': '7000', publishEvery: '25' }, env);
    expect([c.grpcPort, c.lr, c.hidden, c.publishEvery, c.tlsRequireClientCert]).toEqual([7000, 0.002, [32, 16], 25, true]);
    expect(c.batchSize).toBe(DEFAULT_CONFIG.batchSize);
  });

  it('names the field and the source of a bad value', () => {
    expect(() => resolveConfig({ lr: '-1' })).toThrow(/config lr \(flag --lr\): must be above 0, got "-1"/);
    expect(() => resolveConfig({}, { REVERIE_GRPC_PORT: '70000' })).toThrow(/grpcPort \(env REVERIE_GRPC_PORT\): must be at most 65535/);
    expect(() => resolveConfig({ env: 'Pong' })).toThrow(LearnerConfigError);
    expect(() => resolveConfig({ 'batch-size': '1.5' })).toThrow(/batchSize .* expected a whole number/);
    expect(() => resolveConfig({ 'tls-cert': 'a.pem' })).toThrow(/tlsCert and tlsKey/);
  });
});
