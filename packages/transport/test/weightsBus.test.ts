import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectNats,
  decodeAnnouncement,
  encodeAnnouncement,
  fetchAnnouncedWeights,
  openWeightsStore,
  publishWeights,
  sha256Hex,
  startNatsServer,
  subscribeWeights,
  WeightsIntegrityError,
  type NatsConnection,
  type RunningNatsServer,
} from '@reverie/transport';

describe('weights broadcast over a real nats-server', () => {
  let nats: RunningNatsServer;
  let pub: NatsConnection;
  let sub: NatsConnection;
  beforeAll(async () => {
    nats = await startNatsServer();
    pub = await connectNats({ url: nats.url, name: 'test-publisher' });
    sub = await connectNats({ url: nats.url, name: 'test-subscriber' });
  });
  afterAll(async () => {
    await pub?.close();
    await sub?.close();
    await nats?.stop();
  });

  it('delivers a 3 MB payload (beyond the 1 MB message limit) intact, announced in order', async () => {
    const store = await openWeightsStore(pub);
    const subStore = await openWeightsStore(sub);
    const received: { version: number; sha: string }[] = [];
    const done = new Promise<void>((resolve, reject) => {
      subscribeWeights(sub, 'cartpole-dqn', async (a) => {
        const bytes = await fetchAnnouncedWeights(subStore, a);
        received.push({ version: a.metadata!.version, sha: sha256Hex(bytes) });
        if (received.length === 2) resolve();
      }, reject);
    });
    await sub.flush();
    const payloads = [1, 2].map((v) => {
      const b = new Uint8Array(3 * 1024 * 1024 + v);
      for (let i = 0; i < b.length; i++) b[i] = (i * 31 + v) & 0xff;
      return b;
    });
    for (const [i, bytes] of payloads.entries()) {
      const meta = { policy: 'cartpole-dqn', version: i + 1, sha256: sha256Hex(bytes), sizeBytes: bytes.byteLength };
      await publishWeights(pub, store, meta, bytes);
    }
    await done;
    expect(received).toEqual(payloads.map((b, i) => ({ version: i + 1, sha: sha256Hex(b) })));
  });

  it('refuses a payload whose checksum does not match its announcement', async () => {
    const store = await openWeightsStore(pub);
    const bytes = new Uint8Array([1, 2, 3]);
    await publishWeights(pub, store, { policy: 'p', version: 1, sha256: sha256Hex(bytes), sizeBytes: 3 }, bytes);
    const forged = decodeAnnouncement(encodeAnnouncement({
      metadata: { policy: 'p', version: 1, sha256: sha256Hex(new Uint8Array([9, 9, 9])), sizeBytes: 3 },
      objectBucket: 'reverie-weights',
      objectName: 'p/1',
    }));
    await expect(fetchAnnouncedWeights(store, forged)).rejects.toThrow(WeightsIntegrityError);
  });

  it('rejects malformed announcements and bad policy names', async () => {
    expect(() => decodeAnnouncement(new Uint8Array([0xff, 0x01]))).toThrow();
    expect(() => decodeAnnouncement(encodeAnnouncement({ objectName: 'x' }))).toThrow(/without policy, version/);
    expect(() => encodeAnnouncement({ metadata: { policy: 'a', version: 2 }, objectName: 'a/2' })).not.toThrow();
    const store = await openWeightsStore(pub);
    await expect(publishWeights(pub, store, { policy: 'bad name!', version: 1 }, new Uint8Array())).rejects.toThrow(/policy name/);
  });
});
