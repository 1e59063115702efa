import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from '@reverie/core';
import { GrpcStatus, sha256Hex } from '@reverie/transport';
import { WeightStore } from '../src/index.js';
import { capturedLogger, signPolicy, tempDir, widePolicy } from './helpers.js';

const meta = (version = 0) => ({ policy: 'cartpole', version, algo: 'mlp-q', envId: 'CartPole-v1' });

describe('WeightStore', () => {
  it('assigns increasing versions and rejects a stale explicit version', async () => {
    const store = await WeightStore.open({ dir: tempDir() });
    expect((await store.publish(meta(), signPolicy(0))).record.version).toBe(1);
    expect((await store.publish(meta(5), signPolicy(1))).record.version).toBe(5);
    expect((await store.publish(meta(), signPolicy(2))).record.version).toBe(6);
    await expect(store.publish(meta(6), signPolicy(3))).rejects.toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION });
    await expect(store.publish(meta(2), signPolicy(3))).rejects.toThrow(/not newer than the latest, 6/);
    expect(store.list('cartpole').map((r) => r.version)).toEqual([1, 5, 6]);
  });

  it('refuses a declared checksum or size that does not match, and stores nothing', async () => {
    const dir = tempDir();
    const store = await WeightStore.open({ dir });
    const bytes = signPolicy();
    await expect(store.publish({ ...meta(), sha256: sha256Hex(new Uint8Array([1])) }, bytes)).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
    });
    await expect(store.publish({ ...meta(), sizeBytes: bytes.byteLength + 1 }, bytes)).rejects.toThrow(/declares/);
    expect(store.list()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses bytes that are not a policy file, and a version whose shapes differ', async () => {
    const store = await WeightStore.open({ dir: tempDir() });
    await expect(store.publish(meta(), new Uint8Array([1, 2, 3]))).rejects.toThrow(/algo "mlp-q"\) are not a valid policy file/);
    await expect(store.publish({ ...meta(), algo: 'world-model' }, new Uint8Array([1, 2, 3]))).rejects.toThrow(/not a safetensors file/);
    // a safetensors file whose metadata names an unknown policy kind: refused whatever the algo says
    const text = Buffer.from(signPolicy()).toString('latin1').replace('"mlp-q"', '"q-tab"');
    await expect(store.publish({ ...meta(), algo: 'dqn' }, Buffer.from(text, 'latin1'))).rejects.toThrow(/unknown policy kind "q-tab"/);
    // other safetensors payloads are stored, but not servable
    const model = encodeSafetensors({ w: { dtype: 'F32', shape: [2, 3], data: new Float32Array(6) } });
    const stored = await store.publish({ policy: 'world', algo: 'world-model' }, model);
    expect(stored.record).toMatchObject({ servable: false, shapes: { w: [2, 3] } });
    expect(stored.policy).toBeUndefined();
    await store.publish(meta(), signPolicy());
    await expect(store.publish(meta(), widePolicy(8))).rejects.toMatchObject({
      code: GrpcStatus.FAILED_PRECONDITION,
      message: expect.stringMatching(/tensor 'l0.bias' is \[8\], but version 1 has \[2\]/),
    });
  });

  it('keeps the last K versions and survives a restart', async () => {
    const dir = tempDir();
    const store = await WeightStore.open({ dir, keepVersions: 3 });
    const evicted: number[] = [];
    for (let i = 0; i < 5; i++) evicted.push(...(await store.publish(meta(), signPolicy(i))).evicted);
    expect(evicted).toEqual([1, 2]);
    expect(readdirSync(join(dir, 'cartpole')).sort()).toEqual(
      ['3.json', '3.safetensors', '4.json', '4.safetensors', '5.json', '5.safetensors'],
    );
    writeFileSync(join(dir, 'cartpole', '.tmp-6.safetensors.abc'), 'half written');
    const again = await WeightStore.open({ dir, keepVersions: 3 });
    expect(again.list('cartpole').map((r) => r.version)).toEqual([3, 4, 5]);
    const { bytes } = await again.read('cartpole', 4);
    expect(sha256Hex(bytes)).toBe(sha256Hex(signPolicy(3)));
    expect((await again.publish(meta(), signPolicy(9))).record.version).toBe(6);
    expect(readdirSync(join(dir, 'cartpole')).some((n) => n.startsWith('.tmp-'))).toBe(false);
  });

  it('skips a corrupt version with a logged error and never serves it', async () => {
    const dir = tempDir();
    const store = await WeightStore.open({ dir });
    await store.publish(meta(), signPolicy(0));
    await store.publish(meta(), signPolicy(1));
    const path = join(dir, 'cartpole', '2.safetensors');
    const corrupt = Buffer.from(signPolicy(1));
    corrupt[corrupt.length - 1] ^= 0xff;
    writeFileSync(path, corrupt);
    // while running: the read notices, drops it and serves the previous intact version
    const { logger, lines } = capturedLogger();
    const live = await WeightStore.open({ dir: tempDir(), logger });
    await live.publish(meta(), signPolicy(0));
    await live.publish(meta(), signPolicy(1));
    writeFileSync(join(live.dir, 'cartpole', '2.safetensors'), corrupt);
    expect((await live.read('cartpole', 0)).record.version).toBe(1);
    await expect(live.read('cartpole', 2)).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    // after a restart: the scan skips it, and its number is not reused
    const reopened = await WeightStore.open({ dir, logger });
    expect(reopened.list('cartpole').map((r) => r.version)).toEqual([1]);
    expect((await reopened.publish(meta(), signPolicy(2))).record.version).toBe(3);
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors.length).toBe(2);
    expect(String(errors[1].err)).toMatch(/sha256 .* does not match/);
  });
});
