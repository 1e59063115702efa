#!/usr/bin/env node
/**
 * Broadcast latency: from the learner's publish call (GrpcWeightsPublisher → model-server child
 * process → disk store → JetStream object store → announcement) to a subscriber holding the
 * fetched, sha256-verified bytes, for 10 KB, 1 MB and 20 MB policy files. Real nats-server.
 *   npx tsc -b services/model-server/bench && node services/model-server/bench/dist/broadcastBench.js [--reps 5]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectNats, createNatsWeightsFeed, startNatsServer, type WeightsUpdate } from '@reverie/transport';
import { GrpcWeightsPublisher } from '@reverie/model-server';
import { startChild } from './children.js';
import { policyOfSize } from './policies.js';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' } } });
const reps = Number(values.reps);
const here = fileURLToPath(new URL('.', import.meta.url));
const SIZES: [string, number][] = [['10KB', 10_000], ['1MB', 1_000_000], ['20MB', 20_000_000]];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const nats = await startNatsServer();
  const model = await startChild(join(here, '../../dist/main.js'), [
    '--grpcPort', '0', '--metricsPort', '0', '--storeDir', mkdtempSync(join(tmpdir(), 'reverie-bench-bc-')),
    '--logLevel', 'warn', '--nats.url', nats.url, '--keepVersions', '3',
  ]);
  const nc = await connectNats({ url: nats.url, name: 'bench-actor' });
  const feed = createNatsWeightsFeed(nc, { onError: (e) => process.stderr.write(`feed error: ${e.message}\n`) });
  const publisher = new GrpcWeightsPublisher(model.ready.grpc);
  const rows: Record<string, string | number>[] = [];
  try {
    for (const [label, size] of SIZES) {
      const policy = `bc-${label}`;
      let arrived: ((u: WeightsUpdate) => void) | undefined;
      const stop = feed.subscribe(policy, (u) => arrived?.(u));
      await nc.flush();
      const totals: number[] = [];
      const acks: number[] = [];
      let bytes = 0;
      for (let r = 0; r < reps + 1; r++) {
        const payload = policyOfSize(size, r + 1);
        bytes = payload.byteLength;
        const got = new Promise<WeightsUpdate>((resolve) => (arrived = resolve));
        const t0 = performance.now();
        await publisher.publish({ policy, algo: 'mlp-q' }, payload);
        const tAck = performance.now();
        const update = await got;
        const tGot = performance.now();
        if (update.bytes.byteLength !== payload.byteLength) throw new Error('payload size mismatch');
        if (r > 0) {
          // the first round warms connections and the JetStream bucket up
          totals.push(tGot - t0);
          acks.push(tAck - t0);
        }
      }
      stop();
      rows.push({ payload: label, bytes, 'publish acked ms': median(acks).toFixed(1), 'subscriber verified ms': median(totals).toFixed(1) });
      process.stderr.write(`${label} done\n`);
    }
  } finally {
    publisher.close();
    await nc.close();
    await model.stop();
    await nats.stop();
  }
  console.table(rows);
  console.log(JSON.stringify({ date: new Date().toISOString(), reps, rows }));
}

await main();
