import { join } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { runGridWithProgress } from '../experiment.js';
import type { CliIO } from '../io.js';
import { intOption, numberOption, parseOptions } from '../options.js';
import { writeLinePlot, type LinePlot, type WrittenPlot } from '../plot.js';
import { groupByPlanning, writeResults, type ExperimentResults, type WrittenResults } from '../results.js';
import { meanBandAcross, movingAverage } from '../stats.js';
import { renderSummaryTable, settingLabel, summarize, type SettingSummary } from '../summary.js';
import { addAgentOptions, agentOptionFields, envField, TABULAR_ENVS, type TabularEnvId } from './common.js';
import type { AgentConfig } from './common.js';

/**
 * Default return level for "first episode at which the smoothed mean return crosses it".
 * Taxi-v3 0: net positive, i.e. deliveries outweigh the step and illegal-move penalties.
 * FrozenLake 0.1: the goal reached in one episode in ten. On the slippery lakes, with these
 * hyperparameters, no setting reaches 0.5 within a few thousand episodes (Dyna-Q's deterministic
 * last-outcome model is wrong in a stochastic env and plateaus near 0.15-0.2), so a higher bar says nothing.
 * DynaMaze-v0 1: every episode that reaches the goal returns exactly 1, so this only says the goal
 * is reached; compare steps per episode there (and see `reverie maze`).
 */
export const DEFAULT_THRESHOLDS: Record<TabularEnvId, number> = {
  'Taxi-v3': 0,
  'FrozenLake-v1': 0.1,
  'FrozenLake8x8-v1': 0.1,
  'DynaMaze-v0': 1,
};

export const dynaQSchema = z.object({
  env: envField(),
  ...agentOptionFields,
  threshold: numberOption().optional(),
  window: intOption(1),
});

export interface DynaQConfig extends AgentConfig {
  env: TabularEnvId;
  threshold: number;
  window: number;
}

/** Validates `reverie dyna-q` options (strings as typed) and fills in the per-env defaults. */
export function parseDynaQOptions(raw: Record<string, unknown>): DynaQConfig {
  const o = parseOptions(dynaQSchema, raw);
  return {
    ...o,
    out: o.out ?? join('results', `dyna-q-${o.env}`),
    threshold: o.threshold ?? DEFAULT_THRESHOLDS[o.env],
  };
}

/** Smoothed return per episode, one line per planning setting, band = 95% CI across seeds. */
export function comparisonPlot(results: ExperimentResults, window: number): LinePlot {
  const groups = groupByPlanning(results.runs);
  const seeds = Math.max(0, ...[...groups.values()].map((g) => g.length));
  const series = [...groups].map(([planning, runs]) => {
    const band = meanBandAcross(runs.map((r) => movingAverage(r.rewards, window)));
    return {
      label: settingLabel(planning),
      x: band.mean.map((_, i) => i + 1),
      y: band.mean,
      lo: band.lo,
      hi: band.hi,
    };
  });
  return {
    title: 'Dyna-Q: more planning = faster learning',
    subtitle: `${results.env} · ${seeds} seed${seeds === 1 ? '' : 's'} per setting · mean ± 95% CI across seeds`,
    xLabel: 'Episode',
    yLabel: `Return (moving average over ${window} episodes)`,
    xDomain: [1, results.episodes],
    xIntegerTicks: true,
    series,
    legendOrient: 'bottom-right',
  };
}

export interface DynaQReport {
  config: DynaQConfig;
  results: ExperimentResults;
  summaries: SettingSummary[];
  files: WrittenResults & { plot: WrittenPlot };
  elapsedSeconds: number;
}

/** Runs the experiment, writes results + plot into `config.out` and prints the summary. */
export async function runDynaQ(config: DynaQConfig, io: CliIO): Promise<DynaQReport> {
  const { results, elapsedSeconds } = await runGridWithProgress(config, io, `${config.env} dyna-q`);

  const written = await writeResults(config.out, results);
  const plot = await writeLinePlot(comparisonPlot(results, config.window), join(config.out, 'dyna_q_comparison'));
  const summaryOptions = { window: config.window, threshold: config.threshold, lastK: 100 };
  const summaries = summarize(results, summaryOptions);

  io.stdout(
    `Dyna-Q on ${config.env}: ${config.episodes} episodes × ${config.seeds} seeds × planning ${config.planning.join(', ')} ` +
      `(alpha ${config.alpha}, gamma ${config.gamma}, epsilon ${config.epsilon})\n`,
  );
  io.stdout(`${renderSummaryTable(summaries, summaryOptions)}\n`);
  io.stdout(`${results.runs.length} runs in ${elapsedSeconds.toFixed(2)} s wall\n`);
  io.stdout(`wrote ${written.jsonPath}, ${written.csvPath}, ${plot.pngPath}, ${plot.svgPath}\n`);
  return { config, results, summaries, files: { ...written, plot }, elapsedSeconds };
}

export function dynaQCommand(io: CliIO): Command {
  const cmd = new Command('dyna-q')
    .summary('compare Q-learning with Dyna-Q at several planning steps')
    .description(
      'Trains Q-learning (planning 0) and Dyna-Q (planning n) agents on a discrete env for several seeds, then ' +
        'writes OUT/results.json, OUT/results.csv and the plot OUT/dyna_q_comparison.{png,svg}, and prints a ' +
        'summary: final return with a 95% CI across seeds, the first episode the smoothed mean reaches ' +
        '--threshold, wall time and Q-updates per second.\n\n' +
        'For the Sutton & Barto figure 8.2 on the Dyna Maze, see `reverie maze`.',
    )
    .option('--env <id>', `environment: ${TABULAR_ENVS.join(', ')}`, 'Taxi-v3');
  addAgentOptions(
    cmd,
    { episodes: 500, planning: '0,5,20,50', seeds: 10, alpha: 0.1, gamma: 0.95, epsilon: 0.1 },
    'output directory (default: results/dyna-q-<env>)',
  );
  cmd
    .option(
      '--threshold <x>',
      'return level for "first episode the smoothed mean crosses it" ' +
        `(default per env: ${Object.entries(DEFAULT_THRESHOLDS).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    )
    .option('--window <n>', 'moving-average window (episodes) for the plot and the threshold crossing', '20')
    .action(async (raw: Record<string, unknown>) => {
      await runDynaQ(parseDynaQOptions(raw), io);
    });
  return cmd;
}
