import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWeightsOverGrpc, GrpcStatus, sha256Hex, type ModelServiceClient } from '@reverie/transport';
import { defaultModelServerConfig, GrpcWeightsPublisher, startModelServer, type ModelServerHandle } from '../src/index.js';
import { listVersions, modelClient, rejection, uploadChunks } from './grpcClient.js';
import { signPolicy, tempDir, widePolicy } from './helpers.js';

const TOKEN = 'publish-secret';

async function errorCount(server: ModelServerHandle, method: string, code: string): Promise<number> {
  const m = await server.metricsRegistry.getSingleMetric('reverie_grpc_errors_total')!.get();
  return m.values.find((v) => v.labels.method === method && v.labels.code === code)?.value ?? 0;
}

describe('ModelService over gRPC', () => {
  let server: ModelServerHandle;
  let client: ModelServiceClient;
  let publisher: GrpcWeightsPublisher;
  beforeAll(async () => {
    server = await startModelServer(
      defaultModelServerConfig({ grpcPort: 0, metricsPort: 0, storeDir: tempDir(), token: TOKEN, maxWeightsBytes: 32 * 1024 * 1024, logLevel: 'warn' }),
    );
    client = modelClient(server.address);
    publisher = new GrpcWeightsPublisher(server.address, { token: TOKEN });
  });
  afterAll(async () => {
    client?.close();
    publisher?.close();
    await server?.close();
  });

  it('stores a 5 MB upload sent in 1 MiB chunks and serves identical bytes back', async () => {
    const bytes = widePolicy(1150);
    expect(bytes.byteLength).toBeGreaterThan(5_000_000);
    const stored = await publisher.publish({ policy: 'big', algo: 'mlp-q', envId: 'CartPole-v1', labels: { updates: '100' } }, bytes);
    expect(stored).toMatchObject({ policy: 'big', version: 1, sizeBytes: bytes.byteLength, sha256: sha256Hex(bytes), labels: { updates: '100' } });
    expect(await listVersions(client, 'big')).toEqual([1]);
    const back = await fetchWeightsOverGrpc(client, 'big', 1);
    expect(back?.metadata.version).toBe(1);
    expect(Buffer.from(back!.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(await fetchWeightsOverGrpc(client, 'big', 0)).toMatchObject({ metadata: { version: 1 } });
  });

  it('assigns versions, refuses a stale one and answers NOT_FOUND for unknown weights', async () => {
    expect((await publisher.publish({ policy: 'small', algo: 'mlp-q' }, signPolicy(0))).version).toBe(1);
    expect((await publisher.publish({ policy: 'small', algo: 'mlp-q', version: 7 }, signPolicy(1))).version).toBe(7);
    const stale = await rejection(publisher.publish({ policy: 'small', algo: 'mlp-q', version: 7 }, signPolicy(2)));
    expect(stale.code).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(stale.details).toMatch(/version 7 of "small" is not newer than the latest, 7/);
    expect(await listVersions(client, 'small')).toEqual([1, 7]);
    expect(await fetchWeightsOverGrpc(client, 'small', 3)).toBeUndefined();
    expect(await fetchWeightsOverGrpc(client, 'nobody')).toBeUndefined();
    expect(await errorCount(server, 'GetWeights', 'NOT_FOUND')).toBe(2);
  });

  it('requires the bearer token', async () => {
    const anonymous = new GrpcWeightsPublisher(server.address);
    const wrong = new GrpcWeightsPublisher(server.address, { token: 'guess' });
    try {
      expect((await rejection(anonymous.publish({ policy: 'small' }, signPolicy()))).code).toBe(GrpcStatus.UNAUTHENTICATED);
      expect((await rejection(wrong.publish({ policy: 'small' }, signPolicy()))).code).toBe(GrpcStatus.UNAUTHENTICATED);
      // refused at once, while a 20 MB upload is still being written: the publisher stops and rejects
      const big = new Uint8Array(20 * 1024 * 1024);
      expect((await rejection(anonymous.publish({ policy: 'small' }, big))).code).toBe(GrpcStatus.UNAUTHENTICATED);
    } finally {
      anonymous.close();
      wrong.close();
    }
    expect(await errorCount(server, 'PublishWeights', 'UNAUTHENTICATED')).toBe(3);
    expect(await listVersions(client, 'small')).toEqual([1, 7]);
  });

  it('refuses a bad checksum, broken chunking and an oversized upload, and stores nothing', async () => {
    const bytes = signPolicy(3);
    const meta = { policy: 'small', algo: 'mlp-q', sizeBytes: bytes.byteLength, sha256: sha256Hex(bytes) };
    const badSum = await rejection(uploadChunks(client, [{ metadata: { ...meta, sha256: sha256Hex(new Uint8Array(1)) }, offset: 0, data: bytes }], TOKEN));
    expect(badSum.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(badSum.details).toMatch(/does not match the declared/);
    const gap = await rejection(uploadChunks(client, [
      { metadata: meta, offset: 0, data: bytes.subarray(0, 10) },
      { offset: 20, data: bytes.subarray(20) },
    ], TOKEN));
    expect(gap.details).toMatch(/offset 20, expected 10/);
    const short = await rejection(uploadChunks(client, [{ metadata: meta, offset: 0, data: bytes.subarray(0, 10) }], TOKEN));
    expect(short.details).toMatch(/ended after 10 of the declared/);
    const noMeta = await rejection(uploadChunks(client, [{ offset: 0, data: bytes }], TOKEN));
    expect(noMeta.details).toMatch(/first weights chunk must carry metadata/);
    const huge = await rejection(uploadChunks(client, [{ metadata: { ...meta, sizeBytes: 64 * 1024 * 1024 }, offset: 0, data: bytes }], TOKEN));
    expect(huge.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    const notPolicy = await rejection(publisher.publish({ policy: 'small', algo: 'mlp-q' }, new Uint8Array(100)));
    expect(notPolicy.details).toMatch(/not a valid policy file: not a readable policy file/);
    const otherShape = await rejection(publisher.publish({ policy: 'small', algo: 'mlp-q' }, widePolicy(4)));
    expect(otherShape.code).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(await errorCount(server, 'PublishWeights', 'INVALID_ARGUMENT')).toBe(5);
    expect(await errorCount(server, 'PublishWeights', 'RESOURCE_EXHAUSTED')).toBe(1);
    expect(await listVersions(client, 'small')).toEqual([1, 7]);
    // and the server goes on serving
    expect((await publisher.publish({ policy: 'small', algo: 'mlp-q' }, signPolicy(4))).version).toBe(8);
  });

  it('lists every policy, oldest version first', async () => {
    expect(await listVersions(client)).toEqual([1, 1, 7, 8]);
  });
});
