/**
 * Write-ahead log: a chunk is appended and fsync'd here before it is acknowledged, so a learner killed
 * between checkpoints loses nothing it acknowledged. Appends that arrive while a flush is running are
 * written together by the next one (group commit: one fdatasync for many chunks under load).
 *
 * The log is a series of segment files `wal-<n>.log`. A checkpoint rotates to a new segment at the
 * instant it snapshots the learner, so segment n holds exactly what came after that snapshot; once
 * the checkpoint is durable, older segments can go. Record layout:
 *   [u32 payload length][u32 kind][32 bytes sha256(payload)][payload]
 * A torn record at the end of a segment (a crash mid-write) fails its length or hash and ends the
 * segment's replay; it was never acknowledged.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '../checkpoint/durable.js';

export const WAL_CHUNK = 1;
export const WAL_PUBLISHED = 2;

const HEADER_BYTES = 40;
const SEGMENT = /^wal-(\d{8})\.log$/;

export interface WalRecord {
  segment: number;
  kind: number;
  payload: Buffer;
}

interface Pending {
  segment: number;
  data: Buffer;
  resolve: () => void;
  reject: (err: Error) => void;
}

function segmentName(n: number): string {
  return `wal-${String(n).padStart(8, '0')}.log`;
}

export function frameRecord(kind: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(kind, 4);
  createHash('sha256').update(payload).digest().copy(out, 8);
  payload.copy(out, HEADER_BYTES);
  return out;
}

/** The intact records of one segment file, in order; stops at the first torn or corrupt one. */
export function parseSegment(segment: number, bytes: Buffer): { records: WalRecord[]; intactBytes: number } {
  const records: WalRecord[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= bytes.length) {
    const len = bytes.readUInt32LE(at);
    const end = at + HEADER_BYTES + len;
    if (end > bytes.length) break;
    const payload = bytes.subarray(at + HEADER_BYTES, end);
    const digest = createHash('sha256').update(payload).digest();
    if (!digest.equals(bytes.subarray(at + 8, at + HEADER_BYTES))) break;
    records.push({ segment, kind: bytes.readUInt32LE(at + 4), payload });
    at = end;
  }
  return { records, intactBytes: at };
}

export class WriteAheadLog {
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  /** Set and cleared synchronously with the loop's own check of `pending`, so no append is stranded. */
  private flushRunning = false;
  private handle: FileHandle | null = null;
  private handleSegment = -1;
  private closed = false;
  /** Bytes and fsyncs so far (for metrics and the cost measurement). */
  bytesWritten = 0;
  syncs = 0;

  private constructor(readonly dir: string, private segment: number) {}

  /**
   * Opens the log in `dir`, returning the intact records of segments >= `fromSegment` (older ones are
   * covered by a checkpoint). New appends go to a fresh segment after every existing one.
   */
  static async open(dir: string, fromSegment: number): Promise<{ wal: WriteAheadLog; records: WalRecord[] }> {
    await mkdir(dir, { recursive: true });
    const segments = await listSegments(dir);
    const records: WalRecord[] = [];
    for (const n of segments.filter((s) => s >= fromSegment)) {
      records.push(...parseSegment(n, await readFile(join(dir, segmentName(n)))).records);
    }
    const next = Math.max(fromSegment, (segments.at(-1) ?? 0) + 1);
    return { wal: new WriteAheadLog(dir, next), records };
  }

  /** The segment new appends go to. */
  get currentSegment(): number {
    return this.segment;
  }

  /** Resolves once the record is on disk (fdatasync). */
  append(kind: number, payload: Buffer): Promise<void> {
    if (this.closed) return Promise.reject(new Error('write-ahead log is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ segment: this.segment, data: frameRecord(kind, payload), resolve, reject });
      if (!this.flushRunning) {
        this.flushRunning = true;
        this.flushing = this.flushLoop();
      }
    });
  }

  /** Starts a new segment for appends from now on; returns its number. Synchronous on purpose. */
  rotate(): number {
    this.segment++;
    return this.segment;
  }

  /** Removes segments older than `segment` (a durable checkpoint covers them). */
  async deleteBefore(segment: number): Promise<void> {
    for (const n of await listSegments(this.dir)) {
      if (n < segment && n !== this.handleSegment) await unlink(join(this.dir, segmentName(n)));
    }
  }

  /** Waits for pending appends, then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await this.handle?.close();
    this.handle = null;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        let start = 0;
        while (start < batch.length) {
          let end = start + 1;
          while (end < batch.length && batch[end].segment === batch[start].segment) end++;
          await this.writeGroup(batch.slice(start, end));
          start = end;
        }
      }
    } finally {
      this.flushRunning = false;
    }
  }

  private async writeGroup(group: Pending[]): Promise<void> {
    try {
      const handle = await this.handleFor(group[0].segment);
      await handle.writev(group.map((p) => p.data));
      await handle.datasync();
      this.syncs++;
      for (const p of group) this.bytesWritten += p.data.length;
      for (const p of group) p.resolve();
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const p of group) p.reject(error);
    }
  }

  private async handleFor(segment: number): Promise<FileHandle> {
    if (this.handle !== null && this.handleSegment === segment) return this.handle;
    await this.handle?.close();
    this.handle = await open(join(this.dir, segmentName(segment)), 'a');
    this.handleSegment = segment;
    await fsyncDir(this.dir); // the new file's directory entry must survive a crash too
    return this.handle;
  }
}

async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names.flatMap((n) => {
    const m = SEGMENT.exec(n);
    return m ? [Number(m[1])] : [];
  }).sort((a, b) => a - b);
}
