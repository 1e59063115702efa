/**
 * New weight versions over NATS: the payload goes to the JetStream object store (chunked there, so
 * models far beyond NATS's 1 MB message limit work), then a small protobuf announcement goes out on
 * `reverie.weights.<policy>`. Subscribers fetch the object and verify its sha256 before using it.
 */
import { createHash } from 'node:crypto';
import {
  connect,
  nkeyAuthenticator,
  StorageType,
  type NatsConnection,
  type ObjectStore,
  type Subscription,
} from 'nats';
import { decodeAnnouncement, encodeAnnouncement } from './announcement.js';
import type { WeightsMetadata } from './generated/reverie/v1/WeightsMetadata.js';
import type { WeightsAnnouncement__Output } from './generated/reverie/v1/WeightsAnnouncement.js';

export const WEIGHTS_BUCKET = 'reverie-weights';
const POLICY_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function checkPolicyName(policy: string): string {
  if (!POLICY_NAME.test(policy)) {
    throw new Error(`policy name "${policy}" must be 1-64 characters of letters, digits, "_" and "-"`);
  }
  return policy;
}

export function weightsSubject(policy: string): string {
  return `reverie.weights.${checkPolicyName(policy)}`;
}

export function weightsObjectName(policy: string, version: number): string {
  return `${checkPolicyName(policy)}/${version}`;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface NatsConnectOptions {
  url: string;
  name: string;
  user?: string;
  pass?: string;
  /** An nkey seed ("SU..."), instead of user/password. */
  nkeySeed?: string;
}

/** Connects with endless reconnects (a broker restart must not end a service). */
export function connectNats(opts: NatsConnectOptions): Promise<NatsConnection> {
  return connect({
    servers: opts.url,
    name: opts.name,
    user: opts.user,
    pass: opts.pass,
    authenticator: opts.nkeySeed ? nkeyAuthenticator(new TextEncoder().encode(opts.nkeySeed)) : undefined,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
  });
}

export function openWeightsStore(nc: NatsConnection, bucket = WEIGHTS_BUCKET): Promise<ObjectStore> {
  return nc.jetstream().views.os(bucket, { storage: StorageType.File, description: 'Reverie weight versions' });
}

/** Stores the payload, then announces it. Returns the announcement's byte size. */
export async function publishWeights(
  nc: NatsConnection,
  store: ObjectStore,
  metadata: WeightsMetadata & { policy: string; version: number },
  bytes: Uint8Array,
  bucket = WEIGHTS_BUCKET,
): Promise<number> {
  const name = weightsObjectName(metadata.policy, metadata.version);
  await store.putBlob({ name }, bytes);
  const announcement = encodeAnnouncement({ metadata, objectBucket: bucket, objectName: name });
  nc.publish(weightsSubject(metadata.policy), announcement);
  await nc.flush();
  return announcement.byteLength;
}

/** Removes a version's payload from the object store (the model-server keeps only the last K). */
export async function deleteWeightsObject(store: ObjectStore, policy: string, version: number): Promise<void> {
  await store.delete(weightsObjectName(policy, version));
}

export class WeightsIntegrityError extends Error {
  override name = 'WeightsIntegrityError';
}

/** Fetches an announced payload and checks its size and sha256 against the announcement. */
export async function fetchAnnouncedWeights(store: ObjectStore, a: WeightsAnnouncement__Output): Promise<Uint8Array> {
  const bytes = await store.getBlob(a.objectName);
  const meta = a.metadata;
  if (!bytes) throw new WeightsIntegrityError(`weights object ${a.objectName} is gone from the store`);
  if (!meta || bytes.byteLength !== meta.sizeBytes || sha256Hex(bytes) !== meta.sha256) {
    throw new WeightsIntegrityError(
      `weights object ${a.objectName}: ${bytes.byteLength} bytes with sha256 ${sha256Hex(bytes)} ` +
        `do not match the announced ${meta?.sizeBytes} bytes, ${meta?.sha256}`,
    );
  }
  return bytes;
}

/**
 * Calls `onAnnouncement` for every announcement of `policy` (in order; the next waits for the last).
 * A malformed announcement goes to `onError` and the subscription goes on.
 */
export function subscribeWeights(
  nc: NatsConnection,
  policy: string,
  onAnnouncement: (a: WeightsAnnouncement__Output) => Promise<void> | void,
  onError: (err: Error) => void,
): Subscription {
  const sub = nc.subscribe(weightsSubject(policy));
  void (async () => {
    for await (const msg of sub) {
      try {
        await onAnnouncement(decodeAnnouncement(msg.data));
      } catch (e) {
        onError(e instanceof Error ? e : new Error(String(e)));
      }
    }
  })();
  return sub;
}
