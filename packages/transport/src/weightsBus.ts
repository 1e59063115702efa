/**
 * New weight versions over NATS, announced on `reverie.weights.<policy>`. A payload that fits in one
 * message with its announcement (the server's max_payload, 1 MB by default) travels inline; a larger
 * one goes to the JetStream object store first (chunked there, so models far beyond the message limit
 * work) and the announcement names it. Subscribers verify size and sha256 before using either.
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

/** Room left in a message for the announcement's metadata and the protobuf framing around the payload. */
const ANNOUNCEMENT_HEADROOM_BYTES = 4096;
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/** Whether a payload of this size travels inside its announcement on this connection. */
export function fitsInline(nc: NatsConnection, sizeBytes: number): boolean {
  return sizeBytes + ANNOUNCEMENT_HEADROOM_BYTES <= (nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD);
}

/**
 * Announces a version: inline when it fits, else after storing the payload in the object store
 * (`store` is only opened then). Returns the announcement's byte size.
 */
export async function publishWeights(
  nc: NatsConnection,
  store: () => Promise<ObjectStore>,
  metadata: WeightsMetadata & { policy: string; version: number },
  bytes: Uint8Array,
  bucket = WEIGHTS_BUCKET,
): Promise<number> {
  const subject = weightsSubject(metadata.policy);
  if (fitsInline(nc, bytes.byteLength)) {
    const announcement = encodeAnnouncement({ metadata, payload: bytes });
    nc.publish(subject, announcement);
    await nc.flush();
    return announcement.byteLength;
  }
  const name = weightsObjectName(metadata.policy, metadata.version);
  await (await store()).putBlob({ name }, bytes);
  return announceStored(nc, metadata, name, bucket);
}

/** Announces a version whose payload is already in the object store under `name`. */
export async function announceStored(nc: NatsConnection, metadata: WeightsMetadata & { policy: string }, name: string, bucket = WEIGHTS_BUCKET): Promise<number> {
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

/**
 * The announced payload (inline, or fetched from the object store, opened only then), checked
 * against the announced size and sha256. An inline payload is copied out of the message buffer.
 */
export async function fetchAnnouncedWeights(a: WeightsAnnouncement__Output, store: () => Promise<ObjectStore>): Promise<Uint8Array> {
  const where = a.objectName === '' ? 'inline payload' : `weights object ${a.objectName}`;
  const bytes = a.objectName === '' ? Uint8Array.from(a.payload) : await (await store()).getBlob(a.objectName);
  const meta = a.metadata;
  if (!bytes) throw new WeightsIntegrityError(`${where} is gone from the store`);
  if (!meta || bytes.byteLength !== meta.sizeBytes || sha256Hex(bytes) !== meta.sha256) {
    throw new WeightsIntegrityError(
      `${where} of ${meta?.policy} v${meta?.version}: ${bytes.byteLength} bytes with sha256 ${sha256Hex(bytes)} ` +
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
