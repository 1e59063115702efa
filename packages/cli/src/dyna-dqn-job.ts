import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { trainDynaDQN } from '@reverie/agents';
import { type BackendChoice, initBackend } from '@reverie/nn';
import { resolveWorkers } from './pool.js';

/** One neural-Dyna / DQN training run: plain data, so it can cross to a worker thread. */
export interface DynaDqnJob {
  variant: 'none' | 'ensemble';
  seed: number;
  env: string;
  /** Undefined: REVERIE_BACKEND, else auto. */
  backend?: BackendChoice;
  maxEnvSteps: number;
  evalEvery: number;
  evalEpisodes: number;
  targetReturn: number;
  stopAtTarget: boolean;
  gradientSteps: number;
  planningUpdates: number;
  realRatio: number;
  rolloutLength: number;
  maxRolloutLength: number;
  rolloutTargets: 'one-step' | 'n-step';
  maxDisagreement: number;
  terminationWeight: number;
  targetClock: 'env-step' | 'update';
  /** The DQN's Adam learning rate. */
  lr: number;
  /** Polyak rate of the target network per target-clock tick. */
  tau: number;
}

export interface DynaDqnRun {
  variant: 'none' | 'ensemble';
  seed: number;
  /** Real env steps at the first evaluation with mean return ≥ the target; null if never. */
  stepsToTarget: number | null;
  /** Eval curve: real env steps and mean greedy return at each evaluation. */
  envSteps: number[];
  meanReturn: number[];
  updates: number;
  syntheticAdded: number;
  wallSeconds: number;
}

/** Trains one run; `onSteps(n)` reports n more real env steps done. */
export async function runDynaDqnJob(job: DynaDqnJob, onSteps: (n: number) => void = () => {}): Promise<DynaDqnRun> {
  await initBackend({ backend: job.backend });
  let reported = 0;
  const r = await trainDynaDQN({
    env: job.env,
    model: job.variant,
    seed: job.seed,
    maxEnvSteps: job.maxEnvSteps,
    evalEvery: job.evalEvery,
    evalEpisodes: job.evalEpisodes,
    targetReturn: job.targetReturn,
    stopAtTarget: job.stopAtTarget,
    gradientSteps: job.gradientSteps,
    planningUpdates: job.planningUpdates,
    realRatio: job.realRatio,
    maxDisagreement: job.maxDisagreement,
    modelTerminationWeight: job.terminationWeight,
    targetClock: job.targetClock,
    lr: job.lr,
    target: { kind: 'polyak', tau: job.tau },
    // k grows linearly from rolloutLength to maxRolloutLength over the first half of the budget.
    rolloutLength: { start: job.rolloutLength, end: job.maxRolloutLength, steps: Math.floor(job.maxEnvSteps / 2) },
    rolloutTargets: job.rolloutTargets,
    onProgress: (t) => {
      onSteps(t - reported);
      reported = t;
    },
  });
  onSteps(job.maxEnvSteps - reported); // a run stopped at the target counts as done
  return {
    variant: job.variant,
    seed: job.seed,
    stepsToTarget: r.stepsToTarget,
    envSteps: r.curve.map((p) => p.envSteps),
    meanReturn: r.curve.map((p) => p.meanReturn),
    updates: r.updates,
    syntheticAdded: r.syntheticAdded,
    wallSeconds: r.wallSeconds,
  };
}

type FromWorker = { type: 'steps'; n: number } | { type: 'done'; run: DynaDqnRun } | { type: 'error'; message: string; stack?: string };

const WORKER_URL = new URL('./dyna-dqn-worker.js', import.meta.url);

/**
 * Runs the jobs, up to `workers` at a time on worker threads (one tfjs backend each); inline, one
 * after another, with one worker or when the compiled worker is absent (tests run the sources).
 * Results come back in job order; every job is seeded, so where it ran does not change it.
 */
export async function runDynaDqnJobs(jobs: readonly DynaDqnJob[], workers: number | 'auto', onSteps: (n: number) => void): Promise<DynaDqnRun[]> {
  const n = resolveWorkers(workers, jobs.length);
  const canThread = WORKER_URL.protocol === 'file:' && WORKER_URL.pathname.endsWith('.js') && existsSync(fileURLToPath(WORKER_URL));
  const results = new Array<DynaDqnRun>(jobs.length);
  if (n <= 1 || !canThread) {
    for (let i = 0; i < jobs.length; i++) results[i] = await runDynaDqnJob(jobs[i], onSteps);
    return results;
  }
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await inWorker(jobs[i], onSteps);
    }
  };
  await Promise.all(Array.from({ length: n }, lane));
  return results;
}

function inWorker(job: DynaDqnJob, onSteps: (n: number) => void): Promise<DynaDqnRun> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_URL, { workerData: job });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      void w.terminate();
      f();
    };
    w.on('message', (m: FromWorker) => {
      if (m.type === 'steps') onSteps(m.n);
      else if (m.type === 'done') settle(() => resolve(m.run));
      else {
        const err = new Error(m.message);
        if (m.stack) err.stack = m.stack;
        settle(() => reject(err));
      }
    });
    w.on('error', (e) => settle(() => reject(e)));
    w.on('exit', (code) => settle(() => reject(new Error(`dyna-dqn worker exited with code ${code} before finishing`))));
  });
}
