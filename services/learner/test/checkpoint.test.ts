import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointStore, startLearner, type AlgorithmParts, type RunningLearner } from '../src/index.js';
import { ChunkCollector, getStatus, learnerClient, pushStream, waitFor } from './helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'reverie-learner-ckpt-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const small = { grpcPort: 0, logLevel: 'silent' as const, hidden: [16], learningStarts: 100, batchSize: 16, publishEvery: 50, checkpointEvery: 10_000 };

function sameParts(a: AlgorithmParts, b: AlgorithmParts): void {
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const name of Object.keys(a)) expect(Buffer.from(b[name]).equals(Buffer.from(a[name])), name).toBe(true);
}

describe('checkpoints', () => {
  it('round-trip networks, optimiser, replay, counters and dedup state exactly', async () => {
    const dir = tempDir();
    const a: RunningLearner = await startLearner({ ...small, checkpointDir: dir });
    const client = learnerClient(a.address);
    const actor = new ChunkCollector('CartPole-v1', 4, 32, 11, 'ckpt-actor');
    const chunks = [actor.collect(), actor.collect(), actor.collect()];
    expect((await pushStream(client, chunks)).acks).toHaveLength(3);
    // One update per stored step: training stops by itself at 384 updates.
    await waitFor(() => a.learner.parts.algorithm.updates === 384, 30_000, '384 updates');
    await a.learner.stop();
    const status = a.learner.status();
    const parts = await a.learner.parts.algorithm.state();
    client.close();
    await a.close({ checkpoint: true });

    const b = await startLearner({ ...small, checkpointDir: dir });
    expect(b.learner.status()).toEqual(status);
    await b.learner.stop();
    sameParts(parts, await b.learner.parts.algorithm.state());
    const clientB = learnerClient(b.address);
    const resent = await pushStream(clientB, [chunks[2], actor.collect()]);
    expect(resent.acks.map((x) => x.duplicate)).toEqual([true, false]);
    clientB.close();
    await b.close({ checkpoint: false });
  });

  it('ignores a half-written or damaged newest checkpoint and falls back to the complete one', async () => {
    const dir = tempDir();
    const store = new CheckpointStore<{ n: number }>(dir, 2);
    await store.write({ n: 1 }, { 'a.bin': new Uint8Array([1, 2, 3]) });
    const good = await store.write({ n: 2 }, { 'a.bin': new Uint8Array([4, 5, 6]) });
    // A crash before the manifest: files but no manifest.json.
    mkdirSync(join(dir, 'ckpt-000000000009'));
    writeFileSync(join(dir, 'ckpt-000000000009', 'a.bin'), new Uint8Array([7]));
    // A complete-looking one whose file was cut short.
    mkdirSync(join(dir, 'ckpt-000000000008'));
    writeFileSync(join(dir, 'ckpt-000000000008', 'a.bin'), new Uint8Array([8]));
    writeFileSync(join(dir, 'ckpt-000000000008', 'manifest.json'), JSON.stringify({
      format: 'reverie-learner-checkpoint/1', counters: { n: 8 }, files: { 'a.bin': { bytes: 3, sha256: 'x' } },
    }));
    // An interrupted write's temporary folder.
    mkdirSync(join(dir, '.tmp-000000000010-1'));
    const warnings: string[] = [];
    const reader = new CheckpointStore<{ n: number }>(dir, 2, (m) => warnings.push(m));
    const loaded = await reader.loadLatest();
    expect(loaded?.path).toBe(good);
    expect(loaded?.counters).toEqual({ n: 2 });
    expect(Array.from(loaded?.parts['a.bin'] ?? [])).toEqual([4, 5, 6]);
    expect(warnings.join('\n')).toMatch(/ckpt-000000000009 is incomplete or damaged.*manifest/);
    expect(warnings.join('\n')).toMatch(/ckpt-000000000008 .*a\.bin does not match/);
    // The next write keeps the two newest good ones and clears the damaged ones and temp folders.
    await reader.write({ n: 3 }, { 'a.bin': new Uint8Array([9]) });
    expect(readdirSync(dir).sort()).toEqual(['ckpt-000000000002', 'ckpt-000000000010']);
  });
});
