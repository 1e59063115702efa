import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** One training run: a planning setting and a seed, with one entry per episode. */
export interface RunRecord {
  planning: number;
  seed: number;
  /** Undiscounted return of each episode. */
  rewards: number[];
  /** Environment steps of each episode. */
  steps: number[];
  wallSeconds: number;
  /** Q-value updates made (real plus simulated). */
  updates: number;
}

/** What `results.json` holds. */
export interface ExperimentResults {
  env: string;
  episodes: number;
  runs: RunRecord[];
}

const runSchema = z.object({
  planning: z.number().int().nonnegative(),
  seed: z.number().int(),
  rewards: z.array(z.number()),
  steps: z.array(z.number().int().nonnegative()),
  wallSeconds: z.number().nonnegative(),
  updates: z.number().int().nonnegative(),
});

export const experimentResultsSchema = z.object({
  env: z.string(),
  episodes: z.number().int().positive(),
  runs: z.array(runSchema),
});

/** JSON with the key order `{ env, episodes, runs: [{ planning, seed, rewards, steps, wallSeconds, updates }] }`. */
export function resultsToJson(results: ExperimentResults): string {
  const ordered: ExperimentResults = {
    env: results.env,
    episodes: results.episodes,
    runs: results.runs.map((r) => ({
      planning: r.planning,
      seed: r.seed,
      rewards: r.rewards,
      steps: r.steps,
      wallSeconds: r.wallSeconds,
      updates: r.updates,
    })),
  };
  return `${JSON.stringify(ordered)}\n`;
}

/** CSV with one row per run × episode: `planning,seed,episode,reward,steps` (episodes numbered from 1). */
export function resultsToCsv(results: ExperimentResults): string {
  const lines = ['planning,seed,episode,reward,steps'];
  for (const r of results.runs) {
    for (let i = 0; i < r.rewards.length; i++) {
      lines.push(`${r.planning},${r.seed},${i + 1},${r.rewards[i]},${r.steps[i]}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface WrittenResults {
  jsonPath: string;
  csvPath: string;
}

/** Writes `results.json` and `results.csv` into `dir` (created if needed). */
export async function writeResults(dir: string, results: ExperimentResults): Promise<WrittenResults> {
  await mkdir(dir, { recursive: true });
  const jsonPath = join(dir, 'results.json');
  const csvPath = join(dir, 'results.csv');
  await writeFile(jsonPath, resultsToJson(results));
  await writeFile(csvPath, resultsToCsv(results));
  return { jsonPath, csvPath };
}

/** Reads and validates a `results.json` written by `writeResults`. */
export async function readResults(path: string): Promise<ExperimentResults> {
  const parsed = experimentResultsSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a results file: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The runs grouped by planning setting, settings in ascending order, runs in seed order. */
export function groupByPlanning(runs: readonly RunRecord[]): Map<number, RunRecord[]> {
  const groups = new Map<number, RunRecord[]>();
  for (const p of [...new Set(runs.map((r) => r.planning))].sort((a, b) => a - b)) {
    groups.set(
      p,
      runs.filter((r) => r.planning === p).sort((a, b) => a.seed - b.seed),
    );
  }
  return groups;
}
