/**
 * The decoded policies the server acts with: the newest version of each policy (swapped atomically
 * when a new one is stored; JavaScript runs one batch at a time, so a swap always falls between
 * batches) and a small LRU of pinned older versions, loaded from the store on demand.
 */
import { decodePolicy, type Policy } from '@reverie/policy';
import { failedPrecondition, invalidArgument, notFound, unavailable } from '../errors.js';
import type { ModelRegistry } from '../registry/modelRegistry.js';
import type { VersionRecord } from '../store/record.js';

export interface ServedPolicy {
  name: string;
  version: number;
  policy: Policy;
  /** Shape of one observation row as callers send it ([1] for a q-table's state index). */
  obsShape: readonly number[];
}

export interface ServedPoliciesOptions {
  /** The policy an ActRequest with an empty `policy` means. */
  defaultPolicy?: string;
  /** Pinned versions kept decoded (default 8). */
  cacheSize?: number;
}

function notServable(record: VersionRecord): Error {
  return failedPrecondition(`version ${record.version} of "${record.policy}" (algo "${record.algo}") is not a policy file the server can act with`);
}

function toServed(record: VersionRecord, bytes: Uint8Array, decoded?: Policy): ServedPolicy {
  if (!record.servable) throw notServable(record);
  const policy = decoded ?? decodePolicy(bytes);
  const obsShape = policy.spec.kind === 'q-table' ? [1] : [...policy.spec.obsShape];
  return { name: record.policy, version: record.version, policy, obsShape };
}

export class ServedPolicies {
  private readonly newestByName = new Map<string, ServedPolicy>();
  private readonly pinned = new Map<string, ServedPolicy>();
  private readonly loading = new Map<string, Promise<ServedPolicy>>();
  private readonly cacheSize: number;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly opts: ServedPoliciesOptions = {},
  ) {
    this.cacheSize = opts.cacheSize ?? 8;
    registry.onVersion((record, bytes, policy) => {
      if (record.servable) this.setNewest(toServed(record, bytes, policy));
    });
  }

  /** Decodes the newest stored version of every servable policy (at start-up). */
  async loadNewest(): Promise<void> {
    for (const name of this.registry.store.policies()) {
      const { record, bytes } = await this.registry.store.read(name, 0);
      if (record.servable) this.setNewest(toServed(record, bytes));
    }
  }

  private setNewest(served: ServedPolicy): void {
    const current = this.newestByName.get(served.name);
    if (!current || current.version < served.version) this.newestByName.set(served.name, served);
  }

  /** The policy an ActRequest names (empty: the default, or the only one there is). */
  resolveName(requested: string): string {
    if (requested) return requested;
    if (this.opts.defaultPolicy) return this.opts.defaultPolicy;
    const names = this.registry.store.policies();
    if (names.length === 1) return names[0];
    if (names.length === 0) throw unavailable('no policy has been published yet');
    throw invalidArgument(`ActRequest.policy is empty and the server has no default policy; known: ${names.join(', ')}`);
  }

  /** The newest version, or the status a caller should see when there is none. */
  newest(name: string): ServedPolicy {
    const served = this.newestByName.get(name);
    if (served) return served;
    const latest = this.registry.store.latest(name);
    if (latest && !latest.servable) throw notServable(latest);
    if (name === this.opts.defaultPolicy) throw unavailable(`no version of policy "${name}" has been published yet`);
    const known = this.registry.store.policies();
    throw notFound(`unknown policy "${name}"${known.length ? ` (known: ${known.join(', ')})` : ' (none published yet)'}`);
  }

  /** A pinned version: the newest itself, a cached one, or loaded (once) from the store. */
  async version(name: string, version: number): Promise<ServedPolicy> {
    const newest = this.newestByName.get(name);
    if (newest?.version === version) return newest;
    const key = `${name}@${version}`;
    const cached = this.pinned.get(key);
    if (cached) {
      this.pinned.delete(key); // re-insert: Map order is the LRU order
      this.pinned.set(key, cached);
      return cached;
    }
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(key, name, version).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async load(key: string, name: string, version: number): Promise<ServedPolicy> {
    const { record, bytes } = await this.registry.store.read(name, version);
    const served = toServed(record, bytes);
    this.pinned.set(key, served);
    while (this.pinned.size > this.cacheSize) this.pinned.delete(this.pinned.keys().next().value!);
    return served;
  }
}
