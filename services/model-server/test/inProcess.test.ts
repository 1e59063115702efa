import { describe, expect, it } from 'vitest';
import { sha256Hex, type WeightsUpdate } from '@reverie/transport';
import { defaultModelServerConfig, startModelServer } from '../src/index.js';
import { signPolicy, tempDir } from './helpers.js';

describe('single-process mode: the in-process broadcast is the actors\' WeightsFeed', () => {
  it('delivers each version in order to subscribers and gives late joiners the newest, across a restart', async () => {
    const storeDir = tempDir();
    const config = defaultModelServerConfig({ grpcPort: 0, metricsPort: 0, storeDir, logLevel: 'warn' });
    const first = await startModelServer(config);
    const feed = first.feed!;
    expect(await feed.latest('cartpole')).toBeUndefined();
    const seen: WeightsUpdate[] = [];
    const unsubscribe = feed.subscribe('cartpole', async (u) => {
      await new Promise((r) => setTimeout(r, 5)); // a slow subscriber still sees every version, in order
      seen.push(u);
    });
    for (let b = 0; b < 3; b++) await first.registry.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(b));
    await new Promise((r) => setTimeout(r, 50));
    unsubscribe();
    await first.registry.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(3));
    expect(seen.map((u) => u.metadata.version)).toEqual([1, 2, 3]);
    expect(sha256Hex(seen[2].bytes)).toBe(sha256Hex(signPolicy(2)));
    expect((await feed.latest('cartpole'))?.metadata.version).toBe(4);
    await first.close();

    const second = await startModelServer(config);
    try {
      const latest = await second.feed!.latest('cartpole');
      expect(latest?.metadata.version).toBe(4);
      expect(sha256Hex(latest!.bytes)).toBe(sha256Hex(signPolicy(3)));
    } finally {
      await second.close();
    }
  });
});
