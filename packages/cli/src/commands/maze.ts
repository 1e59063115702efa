import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Table from 'cli-table3';
import { Command } from 'commander';
import { z } from 'zod';
import { runGridWithProgress } from '../experiment.js';
import type { CliIO } from '../io.js';
import { parseOptions } from '../options.js';
import { TAB10, writeLinePlot, type LinePlot, type WrittenPlot } from '../plot.js';
import { groupByPlanning, writeResults, type ExperimentResults, type WrittenResults } from '../results.js';
import { mean, meanAcross } from '../stats.js';
import { formatRate } from '../summary.js';
import { addAgentOptions, agentOptionFields } from './common.js';
import type { AgentConfig } from './common.js';

/** `reverie maze`: Sutton & Barto (2nd ed.) figure 8.2, Dyna-Q on the Dyna Maze. */

export const MAZE_ENV = 'DynaMaze-v0';

export const mazeSchema = z.object(agentOptionFields);

export type MazeConfig = AgentConfig;

export function parseMazeOptions(raw: Record<string, unknown>): MazeConfig {
  const o = parseOptions(mazeSchema, raw);
  return { ...o, out: o.out ?? join('results', 'dyna-maze') };
}

/** The book's curve labels. */
export function mazeLabel(planning: number): string {
  if (planning === 0) return '0 planning steps (direct RL only)';
  return `${planning} planning step${planning === 1 ? '' : 's'}`;
}

export interface MazeCurve {
  planning: number;
  label: string;
  /** Episode numbers (1-based), all of them. */
  episode: number[];
  /** Mean steps per episode across seeds. */
  meanSteps: number[];
}

export function mazeCurves(results: ExperimentResults): MazeCurve[] {
  return [...groupByPlanning(results.runs)].map(([planning, runs]) => {
    const meanSteps = meanAcross(runs.map((r) => r.steps));
    return { planning, label: mazeLabel(planning), episode: meanSteps.map((_, i) => i + 1), meanSteps };
  });
}

/** Figure 8.2's look: steps per episode from episode 2 on, y from 0 with the book's ticks, no grid. */
export function mazePlot(curves: readonly MazeCurve[], seeds: number, episodes: number): LinePlot {
  const from = Math.min(2, episodes);
  const maxY = Math.max(0, ...curves.flatMap((c) => c.meanSteps.slice(from - 1)));
  const top = Math.max(800, Math.ceil(maxY / 200) * 200);
  const yTicks = [14];
  for (let t = 200; t <= top; t += 200) yTicks.push(t);
  const xTicks = [from];
  for (let t = 10; t <= episodes; t += 10) if (t > from) xTicks.push(t);
  // The book's order of colours reads dark (no planning) to light; tab10 keeps them distinguishable.
  const colors = ['#1a1a1a', TAB10[0], TAB10[3], TAB10[2], TAB10[1], TAB10[4]];
  return {
    title: 'Dyna Maze: steps per episode (Sutton & Barto, fig. 8.2)',
    subtitle: `Dyna-Q, mean over ${seeds} seed${seeds === 1 ? '' : 's'}`,
    xLabel: 'Episodes',
    yLabel: 'Steps per episode',
    xDomain: [from, episodes],
    yDomain: [0, top],
    xTicks,
    yTicks,
    grid: false,
    legendOrient: 'top-right',
    series: curves.map((c, i) => ({
      label: c.label,
      x: c.episode.slice(from - 1),
      y: c.meanSteps.slice(from - 1),
      color: colors[i % colors.length],
    })),
  };
}

export interface MazeReport {
  config: MazeConfig;
  results: ExperimentResults;
  curves: MazeCurve[];
  files: WrittenResults & { curvesPath: string; plot: WrittenPlot };
  elapsedSeconds: number;
}

export async function runMaze(config: MazeConfig, io: CliIO): Promise<MazeReport> {
  const { results, elapsedSeconds } = await runGridWithProgress({ ...config, env: MAZE_ENV }, io, 'Dyna Maze');

  const written = await writeResults(config.out, results);
  const curves = mazeCurves(results);
  await mkdir(config.out, { recursive: true });
  const curvesPath = join(config.out, 'steps_per_episode.json');
  await writeFile(
    curvesPath,
    `${JSON.stringify({ env: MAZE_ENV, episodes: config.episodes, seeds: config.seeds, alpha: config.alpha, gamma: config.gamma, epsilon: config.epsilon, curves })}\n`,
  );
  const plot = await writeLinePlot(mazePlot(curves, config.seeds, config.episodes), join(config.out, 'steps_per_episode'));

  const groups = groupByPlanning(results.runs);
  const early = Math.min(10, config.episodes);
  const lateFrom = Math.max(1, config.episodes - 9);
  const table = new Table({
    head: ['planning n', 'steps ep 1', `mean steps ep 2..${early}`, `mean steps ep ${lateFrom}..${config.episodes}`, 'wall s (sum)', 'Q-updates/s'],
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const c of curves) {
    const g = groups.get(c.planning) ?? [];
    const wall = g.reduce((s, r) => s + r.wallSeconds, 0);
    const updates = g.reduce((s, r) => s + r.updates, 0);
    table.push([
      c.label,
      c.meanSteps[0].toFixed(1),
      early >= 2 ? mean(c.meanSteps.slice(1, early)).toFixed(1) : '–',
      mean(c.meanSteps.slice(lateFrom - 1)).toFixed(1),
      wall.toFixed(2),
      formatRate(wall > 0 ? updates / wall : Number.NaN),
    ]);
  }
  io.stdout(
    `Dyna Maze (S&B fig. 8.2): ${config.episodes} episodes × ${config.seeds} seeds × planning ${config.planning.join(', ')} ` +
      `(alpha ${config.alpha}, gamma ${config.gamma}, epsilon ${config.epsilon})\n`,
  );
  io.stdout(`${table.toString()}\n`);
  io.stdout(`${results.runs.length} runs in ${elapsedSeconds.toFixed(2)} s wall\n`);
  io.stdout(`wrote ${written.jsonPath}, ${written.csvPath}, ${curvesPath}, ${plot.pngPath}, ${plot.svgPath}\n`);
  return { config, results, curves, files: { ...written, curvesPath, plot }, elapsedSeconds };
}

export function mazeCommand(io: CliIO): Command {
  const cmd = new Command('maze')
    .summary('reproduce Sutton & Barto figure 8.2 (Dyna-Q on the Dyna Maze)')
    .description(
      'Dyna-Q with n = 0, 5, 50 planning steps on the Dyna Maze (DynaMaze-v0), averaged over seeds: the ' +
        'steps per episode of Sutton & Barto (2nd ed.) figure 8.2.\n\n' +
        'Writes OUT/steps_per_episode.{png,svg} (the figure), OUT/steps_per_episode.json (the mean curves), ' +
        'OUT/results.json and OUT/results.csv (every run).',
    );
  addAgentOptions(
    cmd,
    { episodes: 50, planning: '0,5,50', seeds: 30, alpha: 0.1, gamma: 0.95, epsilon: 0.1 },
    'output directory',
    join('results', 'dyna-maze'),
  );
  cmd.action(async (raw: Record<string, unknown>) => {
    await runMaze(parseMazeOptions(raw), io);
  });
  return cmd;
}
