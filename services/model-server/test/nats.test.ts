import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectNats,
  createClient,
  createNatsWeightsFeed,
  fetchAnnouncedWeights,
  openWeightsStore,
  sha256Hex,
  startNatsServer,
  subscribeWeights,
  type NatsConnection,
  type RunningNatsServer,
  type WeightsUpdate,
} from '@reverie/transport';
import { defaultModelServerConfig, GrpcWeightsPublisher, startModelServer, type ModelServerHandle } from '../src/index.js';
import { signPolicy, tempDir } from './helpers.js';

describe('broadcast of new versions over a real nats-server', () => {
  let nats: RunningNatsServer;
  let server: ModelServerHandle;
  let nc: NatsConnection;
  let publisher: GrpcWeightsPublisher;
  beforeAll(async () => {
    nats = await startNatsServer();
    server = await startModelServer(
      defaultModelServerConfig({ grpcPort: 0, metricsPort: 0, storeDir: tempDir(), logLevel: 'warn', keepVersions: 2, nats: { url: nats.url } }),
    );
    nc = await connectNats({ url: nats.url, name: 'test-actor' });
    publisher = new GrpcWeightsPublisher(server.address);
  });
  afterAll(async () => {
    publisher?.close();
    await nc?.close();
    await server?.close();
    await nats?.stop();
  });

  it('delivers every new version to a subscriber, in order and intact, and deletes evicted payloads', async () => {
    const store = await openWeightsStore(nc);
    const received: { version: number; sha: string }[] = [];
    const all = new Promise<void>((resolve, reject) => {
      subscribeWeights(nc, 'cartpole', async (a) => {
        const bytes = await fetchAnnouncedWeights(store, a);
        received.push({ version: a.metadata!.version, sha: sha256Hex(bytes) });
        if (received.length === 4) resolve();
      }, reject);
    });
    await nc.flush();
    const payloads = [0, 1, 2, 3].map((b) => signPolicy(b));
    for (const bytes of payloads) await publisher.publish({ policy: 'cartpole', algo: 'mlp-q' }, bytes);
    await all;
    expect(received).toEqual(payloads.map((b, i) => ({ version: i + 1, sha: sha256Hex(b) })));
    // keepVersions 2: the object store holds what the disk store holds
    expect(await store.getBlob('cartpole/1')).toBeNull();
    expect(await store.getBlob('cartpole/2')).toBeNull();
    expect(sha256Hex((await store.getBlob('cartpole/4'))!)).toBe(sha256Hex(payloads[3]));
  });

  it('gives actors a WeightsFeed: the newest over gRPC for late joiners, then each new version', async () => {
    const modelServer = createClient('ModelService', server.address);
    const feed = createNatsWeightsFeed(nc, { modelServer });
    try {
      const latest = await feed.latest('cartpole');
      expect(latest?.metadata.version).toBe(4);
      expect(sha256Hex(latest!.bytes)).toBe(sha256Hex(signPolicy(3)));
      expect(await feed.latest('nobody')).toBeUndefined();
      const updates: WeightsUpdate[] = [];
      const got = new Promise<void>((resolve) => {
        const stop = feed.subscribe('cartpole', (u) => {
          updates.push(u);
          stop();
          resolve();
        });
      });
      await nc.flush();
      await publisher.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(7));
      await got;
      expect(updates.map((u) => u.metadata.version)).toEqual([5]);
      expect(sha256Hex(updates[0].bytes)).toBe(sha256Hex(signPolicy(7)));
    } finally {
      modelServer.close();
    }
  });
});

describe('a NATS outage', () => {
  it('still stores versions (broadcast failure counted), and broadcasts again once NATS is back', async () => {
    const first = await startNatsServer();
    const server = await startModelServer(
      defaultModelServerConfig({ grpcPort: 0, metricsPort: 0, storeDir: tempDir(), logLevel: 'silent', nats: { url: first.url } }),
    );
    let again: RunningNatsServer | undefined;
    let nc: NatsConnection | undefined;
    try {
      await server.registry.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(0));
      await first.stop();
      expect((await server.registry.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(1))).version).toBe(2);
      const failures = await server.metricsRegistry.getSingleMetric('reverie_model_broadcast_failures_total')!.get();
      expect(failures.values.map((v) => v.value)).toEqual([1]);
      again = await startNatsServer({ port: first.port, storeDir: first.storeDir });
      nc = await connectNats({ url: again.url, name: 'test-actor' });
      const feed = createNatsWeightsFeed(nc);
      const got = new Promise<number>((resolve) => feed.subscribe('cartpole', (u) => resolve(u.metadata.version)));
      await nc.flush();
      // the server's connection reconnects on its own (every 250 ms)
      await new Promise((r) => setTimeout(r, 500));
      await server.registry.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(2));
      expect(await got).toBe(3);
    } finally {
      await nc?.close();
      await server.close();
      await again?.stop();
    }
  }, 30_000);
});
