import { appendFileSync, mkdtempSync, readdirSync, truncateSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WriteAheadLog } from '../src/index.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'reverie-wal-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const record = (n: number): Buffer => Buffer.alloc(100 + n, n);

describe('WriteAheadLog', () => {
  it('resolves appends made from the continuation of an earlier append (no append is stranded)', async () => {
    const { wal } = await WriteAheadLog.open(tempDir(), 0);
    let chain = Promise.resolve();
    for (let i = 0; i < 50; i++) chain = chain.then(() => wal.append(1, record(i)));
    await chain;
    // Eight in flight at a time, each new one appended as an old one resolves.
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      inFlight.push(wal.append(1, record(i)));
      if (inFlight.length === 8) await inFlight.shift();
    }
    await Promise.all(inFlight);
    expect(wal.syncs).toBeLessThan(250); // group commit: fewer fsyncs than appends under load
    await wal.close();
  });

  it('reads back intact records, stops at a torn tail, and starts a fresh segment', async () => {
    const dir = tempDir();
    const first = await WriteAheadLog.open(dir, 0);
    for (let i = 0; i < 5; i++) await first.wal.append(1 + (i % 2), record(i));
    await first.wal.close();
    const [segment] = readdirSync(dir);
    const path = join(dir, segment);
    // A crash mid-write: the last record is cut short, then garbage follows.
    truncateSync(path, statSync(path).size - 10);
    appendFileSync(path, Buffer.from('garbage'));
    const second = await WriteAheadLog.open(dir, 0);
    expect(second.records.map((r) => [r.kind, r.payload.length])).toEqual([[1, 100], [2, 101], [1, 102], [2, 103]]);
    expect(second.wal.currentSegment).toBeGreaterThan(first.wal.currentSegment);
    await second.wal.append(1, record(9));
    // Segments before a checkpoint's can be dropped; later ones are kept.
    const rotated = second.wal.rotate();
    await second.wal.append(1, record(10));
    await second.wal.deleteBefore(rotated);
    await second.wal.close();
    const third = await WriteAheadLog.open(dir, rotated);
    expect(third.records.map((r) => r.payload.length)).toEqual([110]);
    await third.wal.close();
  });
});
