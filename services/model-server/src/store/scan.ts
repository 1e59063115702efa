/**
 * Rebuilding the store's index from disk after a (re)start: every complete, intact version is
 * indexed; temporary files from an interrupted write are removed; a version whose files are
 * missing, unreadable or fail their checksum is logged and skipped, never served.
 */
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '@reverie/transport';
import type { Logger } from '@reverie/telemetry';
import { TEMP_PREFIX } from './atomicFile.js';
import { decodeRecord, type VersionRecord } from './record.js';

const VERSION_FILE = /^([1-9][0-9]*)\.(json|safetensors)$/;

export interface PolicyIndex {
  /** Intact versions, oldest first. */
  records: VersionRecord[];
  /** The highest version number ever seen on disk, intact or not: it is never reused. */
  maxVersion: number;
}

export const payloadPath = (dir: string, policy: string, version: number): string => join(dir, policy, `${version}.safetensors`);
export const recordPath = (dir: string, policy: string, version: number): string => join(dir, policy, `${version}.json`);

/** Reads one version's files and checks them against each other; throws saying what is wrong. */
export async function loadVersion(dir: string, policy: string, version: number): Promise<{ record: VersionRecord; bytes: Uint8Array }> {
  const record = decodeRecord(await readFile(recordPath(dir, policy, version), 'utf8'));
  if (record.policy !== policy || record.version !== version) {
    throw new Error(`metadata names ${record.policy} version ${record.version}`);
  }
  const bytes = new Uint8Array(await readFile(payloadPath(dir, policy, version)));
  if (bytes.byteLength !== record.sizeBytes) {
    throw new Error(`payload is ${bytes.byteLength} bytes, metadata says ${record.sizeBytes}`);
  }
  const sha = sha256Hex(bytes);
  if (sha !== record.sha256) throw new Error(`payload sha256 ${sha} does not match the recorded ${record.sha256}`);
  return { record, bytes };
}

async function scanPolicy(dir: string, policy: string, logger?: Logger): Promise<PolicyIndex> {
  const index: PolicyIndex = { records: [], maxVersion: 0 };
  const versions = new Set<number>();
  for (const name of await readdir(join(dir, policy))) {
    if (name.startsWith(TEMP_PREFIX)) {
      await rm(join(dir, policy, name), { force: true });
      continue;
    }
    const m = VERSION_FILE.exec(name);
    if (m) versions.add(Number(m[1]));
  }
  for (const version of [...versions].sort((a, b) => a - b)) {
    index.maxVersion = Math.max(index.maxVersion, version);
    try {
      index.records.push((await loadVersion(dir, policy, version)).record);
    } catch (err) {
      logger?.error({ policy, version, err: err instanceof Error ? err.message : String(err) }, 'stored weight version is corrupt or incomplete; skipped');
    }
  }
  return index;
}

export async function scanStore(dir: string, isPolicyName: (s: string) => boolean, logger?: Logger): Promise<Map<string, PolicyIndex>> {
  await mkdir(dir, { recursive: true });
  const out = new Map<string, PolicyIndex>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !isPolicyName(entry.name)) continue;
    out.set(entry.name, await scanPolicy(dir, entry.name, logger));
  }
  return out;
}
