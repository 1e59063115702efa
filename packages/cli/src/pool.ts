import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, parentPort } from 'node:worker_threads';

/**
 * A tiny worker_threads pool for CPU-bound, independent experiment jobs (one training run each).
 * Jobs and results are plain data; progress arrives as ticks (one per episode). With one worker,
 * or when the worker script is not available (tests run the TypeScript sources), jobs run inline on
 * the calling thread with the same results: every job is seeded, so where it runs does not matter.
 */

type ToWorker<J> = { id: number; job: J };
type FromWorker<R> =
  | { type: 'tick'; id: number; n: number }
  | { type: 'done'; id: number; result: R }
  | { type: 'error'; id: number; message: string; stack?: string };

export type JobFn<J, R> = (job: J, tick: (n?: number) => void) => R;

export interface PoolOptions<J, R> {
  /** Threads to use; 1 runs inline. 'auto' = min(cores, jobs). */
  workers: number | 'auto';
  /** The compiled worker module that calls `serveJobs` with the same job function. */
  workerUrl: URL;
  /** The job function, for inline runs. */
  run: JobFn<J, R>;
  /** Called for every tick (e.g. episode finished) from any job. */
  onTick?: (n: number) => void;
  /** Jobs are started in this order of priority (largest first balances the pool); default: as given. */
  cost?: (job: J) => number;
}

export function resolveWorkers(workers: number | 'auto', jobs: number): number {
  const n = workers === 'auto' ? availableParallelism() : workers;
  return Math.max(1, Math.min(n, jobs));
}

/** Whether `url` names a worker script that plain node can start (a built .js file). */
export function canStartWorker(url: URL): boolean {
  return url.protocol === 'file:' && url.pathname.endsWith('.js') && existsSync(fileURLToPath(url));
}

/** Runs all jobs; results come back in the order of `jobs`. */
export async function runJobs<J, R>(jobs: readonly J[], options: PoolOptions<J, R>): Promise<R[]> {
  const order = jobs.map((_, i) => i);
  if (options.cost) {
    const cost = options.cost;
    order.sort((a, b) => cost(jobs[b]) - cost(jobs[a]));
  }
  const nWorkers = resolveWorkers(options.workers, jobs.length);
  const onTick = options.onTick ?? (() => {});
  const results = new Array<R>(jobs.length);

  if (nWorkers <= 1 || !canStartWorker(options.workerUrl)) {
    for (const i of order) {
      results[i] = options.run(jobs[i], (n = 1) => onTick(n));
      // Let timers (the progress bar's redraw) run between jobs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return results;
  }

  return new Promise<R[]>((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let finished = 0;
    let failed = false;
    const shutdown = () => {
      for (const w of workers) void w.terminate();
    };
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      shutdown();
      reject(err);
    };
    const feed = (w: Worker) => {
      if (next >= order.length) return;
      const id = order[next++];
      const msg: ToWorker<J> = { id, job: jobs[id] };
      w.postMessage(msg);
    };
    for (let k = 0; k < nWorkers; k++) {
      const w = new Worker(options.workerUrl);
      workers.push(w);
      w.on('message', (msg: FromWorker<R>) => {
        if (failed) return;
        if (msg.type === 'tick') onTick(msg.n);
        else if (msg.type === 'error') {
          const err = new Error(msg.message);
          if (msg.stack) err.stack = msg.stack;
          fail(err);
        } else {
          results[msg.id] = msg.result;
          finished++;
          if (finished === jobs.length) {
            shutdown();
            resolve(results);
          } else feed(w);
        }
      });
      w.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => {
        if (!failed && finished < jobs.length && code !== 0) fail(new Error(`worker exited with code ${code}`));
      });
      feed(w);
    }
  });
}

/** The worker side: call from a worker module with the job function it serves. */
export function serveJobs<J, R>(run: JobFn<J, R>): void {
  const port = parentPort;
  if (port === null) throw new Error('serveJobs must be called inside a worker thread');
  port.on('message', (msg: ToWorker<J>) => {
    // Ticks are batched (at most one message per 50 ms) so progress costs the job next to nothing.
    let pending = 0;
    let last = performance.now();
    const flush = () => {
      if (pending > 0) port.postMessage({ type: 'tick', id: msg.id, n: pending } satisfies FromWorker<R>);
      pending = 0;
      last = performance.now();
    };
    try {
      const result = run(msg.job, (n = 1) => {
        pending += n;
        if (performance.now() - last >= 50) flush();
      });
      flush();
      port.postMessage({ type: 'done', id: msg.id, result } satisfies FromWorker<R>);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({ type: 'error', id: msg.id, message: err.message, stack: err.stack } satisfies FromWorker<R>);
    }
  });
}
