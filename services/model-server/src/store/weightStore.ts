/**
 * Versioned weights on disk: `<dir>/<policy>/<version>.safetensors` plus `<version>.json`
 * (metadata, sha256, tensor shapes). Versions of a policy only increase; the last K are kept.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPolicyName, GrpcStatus, sha256Hex, type WeightsMetadata } from '@reverie/transport';
import type { Logger } from '@reverie/telemetry';
import type { Policy } from '@reverie/policy';
import { failedPrecondition, invalidArgument, ModelServerError, notFound } from '../errors.js';
import { writeFileAtomic } from './atomicFile.js';
import { inspectPayload, requireSameShapes } from './payload.js';
import { encodeRecord, type VersionRecord } from './record.js';
import { loadVersion, payloadPath, recordPath, scanStore, type PolicyIndex } from './scan.js';

export interface WeightStoreOptions {
  dir: string;
  /** Versions kept per policy (default 10); older ones are deleted after each publish. */
  keepVersions?: number;
  logger?: Logger;
}

export interface StoredVersion {
  record: VersionRecord;
  /** The decoded policy when the payload is a policy file. */
  policy?: Policy;
  /** Versions deleted to keep the last K. */
  evicted: number[];
}

function isPolicyName(s: string): boolean {
  try {
    checkPolicyName(s);
    return true;
  } catch {
    return false;
  }
}

function toInt(v: WeightsMetadata['version']): number {
  const n = Number(v ?? 0);
  if (!Number.isSafeInteger(n) || n < 0) throw invalidArgument(`version must be a non-negative integer, got ${String(v)}`);
  return n;
}

export class WeightStore {
  private readonly locks = new Map<string, Promise<unknown>>();

  private constructor(
    readonly dir: string,
    readonly keepVersions: number,
    private readonly index: Map<string, PolicyIndex>,
    private readonly logger?: Logger,
  ) {}

  /** Opens (creating if needed) a store folder and indexes what a previous run left there. */
  static async open(opts: WeightStoreOptions): Promise<WeightStore> {
    const keep = opts.keepVersions ?? 10;
    if (!Number.isSafeInteger(keep) || keep < 1) throw new Error(`keepVersions must be an integer >= 1, got ${keep}`);
    const index = await scanStore(opts.dir, isPolicyName, opts.logger);
    return new WeightStore(opts.dir, keep, index, opts.logger);
  }

  policies(): string[] {
    return [...this.index.keys()].filter((p) => this.index.get(p)!.records.length > 0).sort();
  }

  /** Intact versions, oldest first; every policy's when `policy` is empty. */
  list(policy?: string): VersionRecord[] {
    if (policy) return [...(this.index.get(policy)?.records ?? [])];
    return this.policies().flatMap((p) => this.index.get(p)!.records);
  }

  latest(policy: string): VersionRecord | undefined {
    const records = this.index.get(policy)?.records;
    return records?.[records.length - 1];
  }

  /** A version's bytes, checksum-verified; version 0 is the newest intact one. */
  async read(policy: string, version = 0): Promise<{ record: VersionRecord; bytes: Uint8Array }> {
    const entry = this.index.get(policy);
    const record = version === 0 ? this.latest(policy) : entry?.records.find((r) => r.version === version);
    if (!entry || !record) {
      const what = version === 0 ? `no version of policy "${policy}"` : `no version ${version} of policy "${policy}"`;
      const kept = entry?.records.map((r) => r.version).join(', ');
      throw notFound(`${what} in the store${kept ? ` (kept: ${kept})` : ''}`);
    }
    try {
      return await loadVersion(this.dir, policy, record.version);
    } catch (err) {
      this.logger?.error({ policy, version: record.version, err: String(err) }, 'stored weight version failed verification; dropped');
      entry.records = entry.records.filter((r) => r !== record);
      if (version === 0) return this.read(policy, 0);
      throw new ModelServerError(GrpcStatus.DATA_LOSS, `version ${record.version} of "${policy}" is corrupt on disk and was dropped`);
    }
  }

  /**
   * Stores a new version (0 in metadata.version: the next one). Publishes of one policy run one at a time.
   * `alongside` runs once the version is assigned and validated, concurrently with the disk writes (the
   * registry uploads the payload for the broadcast meanwhile); publish resolves when both are done.
   */
  publish(metadata: WeightsMetadata, bytes: Uint8Array, alongside?: (record: VersionRecord) => Promise<void>): Promise<StoredVersion> {
    const policy = metadata.policy ?? '';
    try {
      checkPolicyName(policy);
    } catch (err) {
      return Promise.reject(invalidArgument(err instanceof Error ? err.message : String(err)));
    }
    const previous = this.locks.get(policy) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.store(policy, metadata, bytes, alongside));
    this.locks.set(policy, next);
    return next;
  }

  private async store(
    policy: string,
    metadata: WeightsMetadata,
    bytes: Uint8Array,
    alongside?: (record: VersionRecord) => Promise<void>,
  ): Promise<StoredVersion> {
    const { record, decoded } = this.makeRecord(policy, metadata, bytes);
    const entry = this.index.get(policy) ?? { records: [], maxVersion: 0 };
    if (record.version === 0) record.version = entry.maxVersion + 1;
    else if (record.version <= entry.maxVersion) {
      throw failedPrecondition(`version ${record.version} of "${policy}" is not newer than the latest, ${entry.maxVersion}; versions only increase (send 0 to get the next)`);
    }
    const previous = entry.records[entry.records.length - 1];
    if (previous) requireSameShapes(policy, previous.version, previous.shapes, record.shapes);
    await Promise.all([this.write(record, bytes), alongside?.(record)]);
    entry.records.push(record);
    entry.maxVersion = record.version;
    this.index.set(policy, entry);
    return { record, policy: decoded, evicted: await this.evict(policy, entry) };
  }

  /** Payload first, metadata last: a version exists on disk only once both are complete. */
  private async write(record: VersionRecord, bytes: Uint8Array): Promise<void> {
    await mkdir(join(this.dir, record.policy), { recursive: true });
    await writeFileAtomic(payloadPath(this.dir, record.policy, record.version), bytes);
    await writeFileAtomic(recordPath(this.dir, record.policy, record.version), encodeRecord(record));
  }

  private makeRecord(policy: string, metadata: WeightsMetadata, bytes: Uint8Array): { record: VersionRecord; decoded?: Policy } {
    const sha256 = sha256Hex(bytes);
    if (metadata.sha256 && metadata.sha256 !== sha256) {
      throw invalidArgument(`weights for ${policy}: sha256 ${sha256} of the received bytes does not match the declared ${metadata.sha256}`);
    }
    const declaredSize = Number(metadata.sizeBytes ?? 0);
    if (declaredSize !== 0 && declaredSize !== bytes.byteLength) {
      throw invalidArgument(`weights for ${policy}: received ${bytes.byteLength} bytes, metadata declares ${declaredSize}`);
    }
    const algo = metadata.algo ?? '';
    const facts = inspectPayload(policy, algo, bytes);
    const record: VersionRecord = {
      policy,
      version: toInt(metadata.version),
      algo,
      envId: metadata.envId ?? '',
      sha256,
      sizeBytes: bytes.byteLength,
      createdUnixMs: Date.now(),
      labels: { ...metadata.labels },
      shapes: facts.shapes,
      servable: facts.policy !== undefined,
    };
    return { record, decoded: facts.policy };
  }

  private async evict(policy: string, entry: PolicyIndex): Promise<number[]> {
    const excess = entry.records.length - this.keepVersions;
    if (excess <= 0) return [];
    const old = entry.records.splice(0, excess);
    for (const r of old) {
      // metadata first: a crash between the two leaves an orphan payload, which a scan ignores
      await rm(recordPath(this.dir, policy, r.version), { force: true });
      await rm(payloadPath(this.dir, policy, r.version), { force: true });
    }
    return old.map((r) => r.version);
  }
}
