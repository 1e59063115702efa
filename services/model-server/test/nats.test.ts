import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '@reverie/core';
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
  type ObjectStore,
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

  /** Announcements of `policy` as they arrive, each with its verified payload's sha256. */
  function collect(policy: string, count: number, store: ObjectStore) {
    const received: { version: number; sha: string; objectName: string }[] = [];
    const all = new Promise<typeof received>((resolve, reject) => {
      subscribeWeights(nc, policy, async (a) => {
        const bytes = await fetchAnnouncedWeights(a, async () => store);
        received.push({ version: a.metadata!.version, sha: sha256Hex(bytes), objectName: a.objectName });
        if (received.length === count) resolve(received);
      }, reject);
    });
    return all;
  }

  it('delivers every new version to a subscriber, in order and intact; small ones inline, never in the object store', async () => {
    const store = await openWeightsStore(nc);
    const all = collect('cartpole', 4, store);
    await nc.flush();
    const payloads = [0, 1, 2, 3].map((b) => signPolicy(b));
    for (const bytes of payloads) await publisher.publish({ policy: 'cartpole', algo: 'mlp-q' }, bytes);
    expect(await all).toEqual(payloads.map((b, i) => ({ version: i + 1, sha: sha256Hex(b), objectName: '' })));
    expect(await store.getBlob('cartpole/4')).toBeNull();
  });

  it('sends payloads over the message limit through the object store, and deletes evicted ones there', async () => {
    const store = await openWeightsStore(nc);
    const all = collect('world', 3, store);
    await nc.flush();
    const payloads = [1, 2, 3].map((v) => encodeSafetensors({ w: { dtype: 'F32', shape: [400_000], data: new Float32Array(400_000).fill(v) } }));
    for (const bytes of payloads) await publisher.publish({ policy: 'world', algo: 'world-model' }, bytes);
    expect(await all).toEqual(payloads.map((b, i) => ({ version: i + 1, sha: sha256Hex(b), objectName: `world/${i + 1}` })));
    // keepVersions 2: the object store holds what the disk store holds
    expect(await store.getBlob('world/1')).toBeNull();
    expect(sha256Hex((await store.getBlob('world/3'))!)).toBe(sha256Hex(payloads[2]));
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
  it('still stores versions (broadcast failure counted), announces the newest again on reconnecting, and broadcasts new ones', async () => {
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
      // Once its connection is back, the server announces version 2 again on its own: a second
      // successful broadcast before any new publish.
      const broadcasts = async () => (await server.metricsRegistry.getSingleMetric('reverie_model_broadcast_seconds')!.get()).values.find((v) => (v as { metricName?: string }).metricName === 'reverie_model_broadcast_seconds_count')?.value ?? 0;
      const deadline = Date.now() + 10_000;
      while ((await broadcasts()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await broadcasts()).toBe(2);
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
