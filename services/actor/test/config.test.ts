import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envName, loadActorConfig } from '../src/service/config.js';

describe('actor config', () => {
  it('layers defaults < JSON file < REVERIE_* env < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'actor-config-'));
    const file = join(dir, 'actor.json');
    writeFileSync(file, JSON.stringify({ numEnvs: 32, workers: 4, learner: { address: 'file:1' }, epsilon: 0.2 }));
    const config = loadActorConfig({
      file,
      env: { REVERIE_WORKERS: '3', REVERIE_LEARNER__ADDRESS: 'env:2', REVERIE_NATS__URL: 'nats://n:4222', REVERIE_HOST: 'ignored' },
      flags: { 'learner.address': 'flag:3', 'chunk-steps': '64' },
    });
    expect(config.numEnvs).toBe(32);
    expect(config.workers).toBe(3);
    expect(config.learner.address).toBe('flag:3');
    expect(config.chunkSteps).toBe(64);
    expect(config.epsilon).toBe(0.2);
    expect(config.nats.url).toBe('nats://n:4222');
    expect(config.policy).toBe('cartpole-v1-dqn');
    expect(envName('modelServer.address')).toBe('REVERIE_MODEL_SERVER__ADDRESS');
  });

  it('names the field, the source and the problem of a bad value', () => {
    expect(() => loadActorConfig({ env: { REVERIE_NUM_ENVS: 'many' } })).toThrow('config numEnvs (env REVERIE_NUM_ENVS): expected a whole number, got "many"');
    expect(() => loadActorConfig({ flags: { epsilon: '1.5' } })).toThrow('config epsilon (flag --epsilon): must be at most 1, got "1.5"');
    expect(() => loadActorConfig({ flags: { logLevel: 'loud' } })).toThrow('config logLevel (flag --logLevel): expected one of trace, debug, info, warn, error, silent, got "loud"');
    expect(() => loadActorConfig({ flags: { numEnvs: '2', workers: '3' } })).toThrow('config workers (3) must not exceed numEnvs (2)');
    const dir = mkdtempSync(join(tmpdir(), 'actor-config-'));
    const file = join(dir, 'actor.json');
    writeFileSync(file, JSON.stringify({ numEnv: 3 }));
    expect(() => loadActorConfig({ file })).toThrow(`config numEnv (file ${file}): unknown field`);
    expect(() => loadActorConfig({ file: join(dir, 'actor.yaml') })).toThrow('only JSON files are read');
  });
});
