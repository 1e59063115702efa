/**
 * Dynamic batching: Act requests for the same (policy, version) queue up and one policy.act runs
 * over all of their rows. A queue is flushed when it holds maxBatch rows, or after maxQueueDelayMs;
 * with a delay of 0 it is flushed on the next turn of the event loop (setImmediate), which gathers
 * every request that arrived in the same I/O poll without adding a timer's latency.
 */
import { PolicyInputError } from '@reverie/policy';
import type { ModelServerMetrics } from '../metrics.js';
import type { ServedPolicy } from './servedPolicies.js';

export interface ActJob {
  obs: Float32Array;
  rows: number;
  wantValue: boolean;
  wantProbs: boolean;
  resolve(out: ActOutput): void;
  reject(err: unknown): void;
}

export interface ActOutput {
  version: number;
  numActions: number;
  actions: Int32Array;
  values?: Float32Array;
  probs?: Float32Array;
}

export interface BatcherOptions {
  maxBatch: number;
  maxQueueDelayMs: number;
  metrics?: ModelServerMetrics;
}

interface Queue {
  jobs: ActJob[];
  rows: number;
  /** Which policy acts, read at flush time: for "newest" queues this is where a hot swap lands. */
  pick: () => ServedPolicy;
  scheduled: boolean;
}

/** Growable reusable buffers for one batch. */
class BatchScratch {
  obs = new Float32Array(0);
  actions = new Int32Array(0);
  values = new Float32Array(0);
  probs = new Float32Array(0);

  ensure(rows: number, obsSize: number, numActions: number): void {
    if (this.obs.length < rows * obsSize) this.obs = new Float32Array(rows * obsSize * 2);
    if (this.actions.length < rows) {
      this.actions = new Int32Array(rows * 2);
      this.values = new Float32Array(rows * 2);
    }
    if (this.probs.length < rows * numActions) this.probs = new Float32Array(rows * numActions * 2);
  }
}

export class ActBatcher {
  private readonly queues = new Map<string, Queue>();
  private readonly scratch = new BatchScratch();

  constructor(private readonly opts: BatcherOptions) {}

  submit(key: string, pick: () => ServedPolicy, job: ActJob): void {
    let q = this.queues.get(key);
    if (!q) {
      q = { jobs: [], rows: 0, pick, scheduled: false };
      this.queues.set(key, q);
    }
    q.jobs.push(job);
    q.rows += job.rows;
    if (q.rows >= this.opts.maxBatch) this.flush(q);
    else this.schedule(q);
  }

  private schedule(q: Queue): void {
    if (q.scheduled) return;
    q.scheduled = true;
    const run = (): void => {
      q.scheduled = false;
      this.flush(q);
    };
    if (this.opts.maxQueueDelayMs > 0) setTimeout(run, this.opts.maxQueueDelayMs);
    else setImmediate(run);
  }

  /** Runs batches until the queue is empty (each batch holds at most maxBatch rows, or one large job). */
  private flush(q: Queue): void {
    while (q.jobs.length > 0) {
      let take = 0;
      let rows = 0;
      while (take < q.jobs.length && (take === 0 || rows + q.jobs[take].rows <= this.opts.maxBatch)) rows += q.jobs[take++].rows;
      const jobs = q.jobs.splice(0, take);
      q.rows -= rows;
      let served: ServedPolicy;
      try {
        served = q.pick();
      } catch (err) {
        for (const job of jobs) job.reject(err);
        continue;
      }
      this.runBatch(served, jobs, rows);
    }
  }

  private runBatch(served: ServedPolicy, jobs: ActJob[], rows: number): void {
    const { policy } = served;
    const s = this.scratch;
    s.ensure(rows, policy.obsSize, policy.numActions);
    let at = 0;
    for (const job of jobs) {
      s.obs.set(job.obs.subarray(0, job.rows * policy.obsSize), at * policy.obsSize);
      at += job.rows;
    }
    const wantValue = jobs.some((j) => j.wantValue);
    const wantProbs = jobs.some((j) => j.wantProbs);
    try {
      policy.act(s.obs, rows, s.actions, { values: wantValue ? s.values : undefined, probs: wantProbs ? s.probs : undefined });
    } catch (err) {
      // one bad row (e.g. a state index out of range) must not fail the others: act one by one
      if (err instanceof PolicyInputError && jobs.length > 1) {
        for (const job of jobs) this.runBatch(served, [job], job.rows);
        return;
      }
      for (const job of jobs) job.reject(err);
      return;
    }
    this.opts.metrics?.batchSize.observe(rows);
    this.deliver(served, jobs);
  }

  private deliver(served: ServedPolicy, jobs: ActJob[]): void {
    const s = this.scratch;
    const k = served.policy.numActions;
    let at = 0;
    for (const job of jobs) {
      const end = at + job.rows;
      job.resolve({
        version: served.version,
        numActions: k,
        actions: s.actions.slice(at, end),
        values: job.wantValue ? s.values.slice(at, end) : undefined,
        probs: job.wantProbs ? s.probs.slice(at * k, end * k) : undefined,
      });
      at = end;
    }
  }
}
