/**
 * Closed-loop Act load: N clients, each with its own channel, each sending its next request as soon
 * as the previous answer arrives: unary Act with one observation, one ActStream per client, or unary
 * Act with a batch of BATCH_ROWS observations per request ("batched").
 */
import { createClient, encodeTensor, type ActRequest, type PolicyServiceClient, type ActResponse__Output } from '@reverie/transport';

export type ActMode = 'unary' | 'stream' | 'batched';

/** Observations per request in the batched mode. */
export const BATCH_ROWS = 32;

export interface LoadResult {
  clients: number;
  mode: ActMode;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

type Sender = (req: ActRequest) => Promise<void>;

function unarySender(c: PolicyServiceClient): { send: Sender; close(): void } {
  return {
    send: (req) => new Promise((resolve, reject) => c.Act(req, (err) => (err ? reject(err) : resolve()))),
    close: () => undefined,
  };
}

function streamSender(c: PolicyServiceClient): { send: Sender; close(): void } {
  const call = c.ActStream();
  const waiting = new Map<number, { resolve(): void; reject(e: Error): void }>();
  call.on('data', (res: ActResponse__Output) => {
    waiting.get(res.requestId)?.resolve();
    waiting.delete(res.requestId);
  });
  call.on('error', (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  });
  return {
    send: (req) =>
      new Promise((resolve, reject) => {
        waiting.set(req.requestId as number, { resolve, reject });
        call.write(req);
      }),
    close: () => call.end(),
  };
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Runs `clients` loops for `warmupS + seconds`; latencies of the warm-up are dropped. */
export async function runLoad(target: string, mode: ActMode, clients: number, seconds: number, warmupS = 0.5): Promise<LoadResult> {
  const channels = Array.from({ length: clients }, () =>
    createClient('PolicyService', target, { channelOptions: { 'grpc.use_local_subchannel_pool': 1 } }),
  );
  const senders = channels.map((c) => (mode === 'stream' ? streamSender(c) : unarySender(c)));
  const rows = mode === 'batched' ? BATCH_ROWS : 1;
  const values = Float32Array.from({ length: rows * 4 }, (_, i) => ((i % 7) - 3) * 0.01);
  const observation = encodeTensor(values, mode === 'batched' ? [rows, 4] : [4]);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const measureFrom = start + warmupS * 1000;
  const end = measureFrom + seconds * 1000;
  await Promise.all(
    senders.map(async (s, i) => {
      let id = i * 1e9;
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await s.send({ policy: 'bench', observation, requestId: ++id });
        } catch {
          errors++;
        }
        if (t0 >= measureFrom) latencies.push(performance.now() - t0);
      }
    }),
  );
  senders.forEach((s) => s.close());
  channels.forEach((c) => c.close());
  const sorted = Float64Array.from(latencies).sort();
  return {
    clients,
    mode,
    requests: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}
