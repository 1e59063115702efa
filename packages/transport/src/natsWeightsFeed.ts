/**
 * The actors' WeightsFeed between processes: new versions arrive as NATS announcements with the
 * payload inline or in the JetStream object store (sha256-verified either way), and a late joiner
 * catches up with the newest version over the model-server's gRPC GetWeights.
 */
import type { NatsConnection, ObjectStore } from 'nats';
import type { WeightsFeed, WeightsUpdate } from './contracts.js';
import { GrpcStatus } from './errors.js';
import type { ModelServiceClient } from './generated/reverie/v1/ModelService.js';
import type { WeightsMetadata__Output } from './generated/reverie/v1/WeightsMetadata.js';
import { fetchAnnouncedWeights, openWeightsStore, sha256Hex, subscribeWeights, WeightsIntegrityError } from './weightsBus.js';

export interface NatsWeightsFeedOptions {
  /** A ModelService client: `latest()` asks it (without one, `latest()` resolves undefined). */
  modelServer?: ModelServiceClient;
  /** Announcements that could not be fetched or verified, and failures of onUpdate. */
  onError?: (err: Error) => void;
  /** Deadline of a GetWeights call (default 30 s). */
  fetchTimeoutMs?: number;
}

/**
 * Downloads one version over GetWeights and verifies its size and sha256. Resolves undefined when
 * the server has no such version (NOT_FOUND).
 */
export function fetchWeightsOverGrpc(
  client: ModelServiceClient,
  policy: string,
  version = 0,
  timeoutMs = 30_000,
): Promise<WeightsUpdate | undefined> {
  return new Promise((resolve, reject) => {
    const call = client.GetWeights({ policy, version }, { deadline: Date.now() + timeoutMs });
    let metadata: WeightsMetadata__Output | null = null;
    let bytes: Uint8Array | undefined;
    let received = 0;
    call.on('data', (chunk: { metadata: WeightsMetadata__Output | null; offset: number; data: Buffer }) => {
      if (chunk.metadata) {
        metadata = chunk.metadata;
        bytes = new Uint8Array(metadata.sizeBytes);
      }
      if (!bytes || chunk.offset !== received || received + chunk.data.byteLength > bytes.byteLength) {
        call.cancel();
        reject(new WeightsIntegrityError(`GetWeights ${policy}: malformed chunk at offset ${chunk.offset}`));
        return;
      }
      bytes.set(chunk.data, received);
      received += chunk.data.byteLength;
    });
    call.on('error', (err: Error & { code?: number }) => (err.code === GrpcStatus.NOT_FOUND ? resolve(undefined) : reject(err)));
    call.on('end', () => {
      const meta = metadata as WeightsMetadata__Output | null;
      if (!meta || !bytes) return reject(new WeightsIntegrityError(`GetWeights ${policy}: stream carried no metadata`));
      if (received !== meta.sizeBytes || sha256Hex(bytes) !== meta.sha256) {
        return reject(new WeightsIntegrityError(`GetWeights ${policy} v${meta.version}: ${received} bytes do not match size ${meta.sizeBytes} / sha256 ${meta.sha256}`));
      }
      resolve({ metadata: meta, bytes });
    });
  });
}

export function createNatsWeightsFeed(nc: NatsConnection, opts: NatsWeightsFeedOptions = {}): WeightsFeed {
  let store: Promise<ObjectStore> | undefined;
  const objectStore = (): Promise<ObjectStore> => {
    store ??= openWeightsStore(nc).catch((err: unknown) => {
      store = undefined;
      throw err;
    });
    return store;
  };
  const onError = opts.onError ?? (() => undefined);
  return {
    latest: (policy) =>
      opts.modelServer ? fetchWeightsOverGrpc(opts.modelServer, policy, 0, opts.fetchTimeoutMs) : Promise.resolve(undefined),
    subscribe(policy, onUpdate) {
      // versions only increase: an announcement older than one already delivered is ignored
      let delivered = 0;
      const sub = subscribeWeights(
        nc,
        policy,
        async (a) => {
          const metadata = a.metadata!;
          if (metadata.version <= delivered) return;
          const bytes = await fetchAnnouncedWeights(a, objectStore);
          delivered = metadata.version;
          await onUpdate({ metadata, bytes });
        },
        onError,
      );
      return () => sub.unsubscribe();
    },
  };
}
