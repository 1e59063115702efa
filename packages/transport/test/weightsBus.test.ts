import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectNats,
  decodeAnnouncement,
  encodeAnnouncement,
  fetchAnnouncedWeights,
  fitsInline,
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

  /** Resolves with each announcement's version, payload sha256 and object name, once `count` arrived. */
  function collect(policy: string, count: number) {
    const received: { version: number; sha: string; objectName: string }[] = [];
    const subStore = () => openWeightsStore(sub);
    return new Promise<typeof received>((resolve, reject) => {
      subscribeWeights(sub, policy, async (a) => {
        const bytes = await fetchAnnouncedWeights(a, subStore);
        received.push({ version: a.metadata!.version, sha: sha256Hex(bytes), objectName: a.objectName });
        if (received.length === count) resolve(received);
      }, reject);
    });
  }

  function pattern(size: number, v: number): Uint8Array {
    const b = new Uint8Array(size);
    for (let i = 0; i < b.length; i++) b[i] = (i * 31 + v) & 0xff;
    return b;
  }

  it('delivers a 3 MB payload (beyond the 1 MB message limit) through the object store, intact, announced in order', async () => {
    const done = collect('cartpole-dqn', 2);
    await sub.flush();
    const payloads = [1, 2].map((v) => pattern(3 * 1024 * 1024 + v, v));
    expect(fitsInline(pub, payloads[0].byteLength)).toBe(false);
    for (const [i, bytes] of payloads.entries()) {
      const meta = { policy: 'cartpole-dqn', version: i + 1, sha256: sha256Hex(bytes), sizeBytes: bytes.byteLength };
      await publishWeights(pub, () => openWeightsStore(pub), meta, bytes);
    }
    expect(await done).toEqual(payloads.map((b, i) => ({ version: i + 1, sha: sha256Hex(b), objectName: `cartpole-dqn/${i + 1}` })));
  });

  it('sends a payload that fits in one message inline (up to the server max_payload less headroom), never opening the store', async () => {
    const limit = pub.info!.max_payload;
    const done = collect('inline', 2);
    await sub.flush();
    const payloads = [pattern(1000, 1), pattern(limit - 4096, 2)];
    const noStore = () => Promise.reject(new Error('the object store must not be used for an inline payload'));
    for (const [i, bytes] of payloads.entries()) {
      expect(fitsInline(pub, bytes.byteLength)).toBe(true);
      await publishWeights(pub, noStore, { policy: 'inline', version: i + 1, sha256: sha256Hex(bytes), sizeBytes: bytes.byteLength }, bytes);
    }
    expect(await done).toEqual(payloads.map((b, i) => ({ version: i + 1, sha: sha256Hex(b), objectName: '' })));
    expect(fitsInline(pub, limit - 4095)).toBe(false);
  });

  it('refuses a payload whose checksum does not match its announcement, inline or stored', async () => {
    const store = await openWeightsStore(pub);
    const bytes = new Uint8Array([1, 2, 3]);
    await store.putBlob({ name: 'p/1' }, bytes);
    const wrong = { policy: 'p', version: 1, sha256: sha256Hex(new Uint8Array([9, 9, 9])), sizeBytes: 3 };
    const stored = decodeAnnouncement(encodeAnnouncement({ metadata: wrong, objectBucket: 'reverie-weights', objectName: 'p/1' }));
    await expect(fetchAnnouncedWeights(stored, async () => store)).rejects.toThrow(WeightsIntegrityError);
    const inline = decodeAnnouncement(encodeAnnouncement({ metadata: wrong, payload: bytes }));
    await expect(fetchAnnouncedWeights(inline, async () => store)).rejects.toThrow(/inline payload of p v1: 3 bytes with sha256/);
    const gone = decodeAnnouncement(encodeAnnouncement({ metadata: wrong, objectBucket: 'reverie-weights', objectName: 'p/404' }));
    await expect(fetchAnnouncedWeights(gone, async () => store)).rejects.toThrow(/weights object p\/404 is gone/);
  });

  it('rejects malformed announcements and bad policy names', async () => {
    expect(() => decodeAnnouncement(new Uint8Array([0xff, 0x01]))).toThrow();
    expect(() => decodeAnnouncement(encodeAnnouncement({ objectName: 'x' }))).toThrow(/without policy or version/);
    expect(() => encodeAnnouncement({ metadata: { policy: 'a', version: 2 }, objectName: 'a/2' })).not.toThrow();
    await expect(publishWeights(pub, () => openWeightsStore(pub), { policy: 'bad name!', version: 1 }, new Uint8Array())).rejects.toThrow(/policy name/);
  });
});
