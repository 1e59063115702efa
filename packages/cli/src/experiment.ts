import { runDynaQJob, type DynaQJob } from './dyna-job.js';
import type { CliIO } from './io.js';
import { runJobs } from './pool.js';
import { createProgress } from './progress.js';
import type { ExperimentResults, RunRecord } from './results.js';

/** A grid of Dyna-Q runs: every planning setting × seeds 0 .. seeds-1, same hyperparameters. */
export interface DynaQGrid {
  env: string;
  episodes: number;
  planning: readonly number[];
  seeds: number;
  alpha: number;
  gamma: number;
  epsilon: number;
  /** Worker threads ('auto' = one per core, capped by the number of runs; 1 = inline). */
  workers: number | 'auto';
  /** Called once per finished episode of any run. */
  onEpisode?: () => void;
}

export function gridJobs(grid: DynaQGrid): DynaQJob[] {
  const jobs: DynaQJob[] = [];
  for (const planning of grid.planning) {
    for (let seed = 0; seed < grid.seeds; seed++) {
      jobs.push({
        env: grid.env,
        planning,
        seed,
        episodes: grid.episodes,
        alpha: grid.alpha,
        gamma: grid.gamma,
        epsilon: grid.epsilon,
      });
    }
  }
  return jobs;
}

/** Runs the grid (in a worker pool when it pays) and returns the runs in setting-then-seed order. */
export async function runDynaQGrid(grid: DynaQGrid): Promise<ExperimentResults> {
  const onEpisode = grid.onEpisode;
  const runs: RunRecord[] = await runJobs(gridJobs(grid), {
    workers: grid.workers,
    workerUrl: new URL('./dyna-worker.js', import.meta.url),
    run: (job, tick) => runDynaQJob(job, () => tick(1)),
    onTick: onEpisode ? (n) => { for (let i = 0; i < n; i++) onEpisode(); } : undefined,
    // Planning dominates the cost; start the expensive runs first so the pool ends together.
    cost: (job) => job.planning + 1,
  });
  return { env: grid.env, episodes: grid.episodes, runs };
}

/** Runs the grid under a progress bar (one tick per episode) and times it. */
export async function runGridWithProgress(
  grid: Omit<DynaQGrid, 'onEpisode'>,
  io: CliIO,
  label: string,
): Promise<{ results: ExperimentResults; elapsedSeconds: number }> {
  const progress = createProgress(grid.planning.length * grid.seeds * grid.episodes, {
    stream: io.progressStream ?? undefined,
    enabled: io.progressStream === null ? false : undefined,
    label,
  });
  const t0 = performance.now();
  try {
    const results = await runDynaQGrid({ ...grid, onEpisode: () => progress.tick() });
    return { results, elapsedSeconds: (performance.now() - t0) / 1000 };
  } finally {
    progress.stop();
  }
}
