#!/usr/bin/env node
/**
 * Act latency and throughput (requests/s; a batched request carries 32 observations) of the model-server (a child process running dist/main.js, CartPole-sized
 * 4-64-64-2 policy) next to a bare grpc-js echo server, measured in the same run, interleaved.
 *   npx tsc -b services/model-server/bench && node services/model-server/bench/dist/actBench.js [--seconds 3] [--reps 3]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GrpcWeightsPublisher } from '@reverie/model-server';
import { runLoad, type ActMode, type LoadResult } from './actLoad.js';
import { startChild, type ChildServer } from './children.js';
import { randomMlpPolicy } from './policies.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    reps: { type: 'string', default: '3' },
    clients: { type: 'string', default: '1,16,256' },
    maxQueueDelayMs: { type: 'string', default: '0' },
  },
});
const seconds = Number(values.seconds);
const reps = Number(values.reps);
const clientCounts = values.clients!.split(',').map(Number);
const here = fileURLToPath(new URL('.', import.meta.url));

async function batchStats(metricsUrl: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const read = (suffix: string): number => Number(new RegExp(`^reverie_policy_batch_size_${suffix}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { sum: read('sum'), count: read('count') };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function summarize(runs: LoadResult[]): { perSecond: number; p50Ms: number; p99Ms: number; errors: number } {
  return {
    perSecond: median(runs.map((r) => r.perSecond)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    errors: runs.reduce((s, r) => s + r.errors, 0),
  };
}

async function main(): Promise<void> {
  const storeDir = mkdtempSync(join(tmpdir(), 'reverie-bench-ms-'));
  const model: ChildServer = await startChild(join(here, '../../dist/main.js'), [
    '--grpcPort', '0', '--metricsPort', '0', '--storeDir', storeDir, '--logLevel', 'warn',
    '--defaultPolicy', 'bench', '--maxQueueDelayMs', values.maxQueueDelayMs!,
  ]);
  const echo: ChildServer = await startChild(join(here, 'echoServer.js'), []);
  const publisher = new GrpcWeightsPublisher(model.ready.grpc);
  await publisher.publish({ policy: 'bench', algo: 'mlp-q', envId: 'CartPole-v1' }, randomMlpPolicy(4, [64, 64], 2));
  publisher.close();
  const rows: Record<string, string | number>[] = [];
  try {
    for (const mode of ['unary', 'stream', 'batched'] as ActMode[]) {
      for (const clients of clientCounts) {
        const ms: LoadResult[] = [];
        const bare: LoadResult[] = [];
        const before = await batchStats(model.ready.metrics!);
        for (let r = 0; r < reps; r++) {
          ms.push(await runLoad(model.ready.grpc, mode, clients, seconds));
          bare.push(await runLoad(echo.ready.grpc, mode, clients, seconds));
        }
        const after = await batchStats(model.ready.metrics!);
        const a = summarize(ms);
        const b = summarize(bare);
        rows.push({
          mode,
          clients,
          'model req/s': Math.round(a.perSecond),
          'model p50 ms': a.p50Ms.toFixed(3),
          'model p99 ms': a.p99Ms.toFixed(3),
          'rows/batch': ((after.sum - before.sum) / Math.max(1, after.count - before.count)).toFixed(1),
          'echo req/s': Math.round(b.perSecond),
          'echo p50 ms': b.p50Ms.toFixed(3),
          'echo p99 ms': b.p99Ms.toFixed(3),
          errors: a.errors + b.errors,
        });
        process.stderr.write(`${mode} ${clients} clients done\n`);
      }
    }
  } finally {
    await model.stop();
    await echo.stop();
  }
  console.table(rows);
  console.log(JSON.stringify({ date: new Date().toISOString(), node: process.version, seconds, reps, rows }));
}

await main();
