/**
 * Checkpoints on disk: `<dir>/ckpt-<n>/` holding one file per part plus `manifest.json` (counters,
 * and each file's size and sha256). Written into a temporary folder, every file fsync'd, the folder
 * fsync'd, renamed into place and the parent fsync'd: a crash leaves either the whole checkpoint or
 * a temporary folder that is ignored and cleared. Loading takes the newest checkpoint whose manifest
 * and files all check out, so a damaged newest one falls back to the one before. The newest `keep`
 * are kept.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileDurable } from './durable.js';

const NAME = /^ckpt-(\d{12})$/;
const TEMP_PREFIX = '.tmp-';
const MANIFEST = 'manifest.json';
const PART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface LoadedCheckpoint<C> {
  path: string;
  counters: C;
  parts: Record<string, Uint8Array>;
}

interface Manifest<C> {
  format: 'reverie-learner-checkpoint/1';
  counters: C;
  files: Record<string, { bytes: number; sha256: string }>;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class CheckpointStore<C> {
  /** Checkpoints known to be complete: the one loaded at start and those written since. */
  private readonly good: number[] = [];

  constructor(readonly dir: string, readonly keep = 2, private readonly warn: (msg: string) => void = () => undefined) {
    if (!Number.isSafeInteger(keep) || keep < 1) throw new Error(`checkpoint keep: expected a positive integer, got ${keep}`);
  }

  /** Writes a complete checkpoint and prunes old ones; returns its folder. */
  async write(counters: C, parts: Record<string, Uint8Array>): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const n = ((await this.list())[0] ?? 0) + 1;
    const final = join(this.dir, `ckpt-${String(n).padStart(12, '0')}`);
    const temp = join(this.dir, `${TEMP_PREFIX}${String(n).padStart(12, '0')}-${process.pid}`);
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp);
    const files: Manifest<C>['files'] = {};
    for (const [name, bytes] of Object.entries(parts)) {
      if (!PART_NAME.test(name) || name === MANIFEST) throw new Error(`checkpoint: invalid part name '${name}'`);
      await writeFileDurable(join(temp, name), bytes);
      files[name] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
    }
    const manifest: Manifest<C> = { format: 'reverie-learner-checkpoint/1', counters, files };
    await writeFileDurable(join(temp, MANIFEST), JSON.stringify(manifest));
    await fsyncDir(temp);
    await rename(temp, final);
    await fsyncDir(this.dir);
    this.good.push(n);
    await this.prune();
    return final;
  }

  /** The newest complete checkpoint, or undefined when there is none. */
  async loadLatest(): Promise<LoadedCheckpoint<C> | undefined> {
    for (const n of await this.list()) {
      const path = join(this.dir, `ckpt-${String(n).padStart(12, '0')}`);
      try {
        const loaded = await this.load(path);
        this.good.push(n);
        return loaded;
      } catch (err) {
        this.warn(`checkpoint ${path} is incomplete or damaged, skipped: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return undefined;
  }

  /** Checkpoint numbers present, newest first. */
  async list(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      const m = NAME.exec(name);
      return m ? [Number(m[1])] : [];
    }).sort((a, b) => b - a);
  }

  private async load(path: string): Promise<LoadedCheckpoint<C>> {
    const manifest = JSON.parse(await readFile(join(path, MANIFEST), 'utf8')) as Manifest<C>;
    if (manifest.format !== 'reverie-learner-checkpoint/1') throw new Error(`unknown format ${String(manifest.format)}`);
    const parts: Record<string, Uint8Array> = {};
    for (const [name, want] of Object.entries(manifest.files)) {
      const bytes = await readFile(join(path, name));
      if (bytes.byteLength !== want.bytes || sha256(bytes) !== want.sha256) throw new Error(`${name} does not match its manifest entry`);
      parts[name] = bytes;
    }
    return { path, counters: manifest.counters, parts };
  }

  /**
   * Keeps the newest `keep` known-good checkpoints and removes every other one (damaged ones too);
   * clears temporary folders of interrupted writes.
   */
  private async prune(): Promise<void> {
    const kept = new Set([...this.good].sort((a, b) => b - a).slice(0, this.keep));
    for (const n of await this.list()) {
      if (kept.has(n)) continue;
      await rm(join(this.dir, `ckpt-${String(n).padStart(12, '0')}`), { recursive: true, force: true });
    }
    for (const name of await readdir(this.dir)) {
      if (name.startsWith(TEMP_PREFIX)) await rm(join(this.dir, name), { recursive: true, force: true });
    }
  }
}
