import Table from 'cli-table3';
import { groupByPlanning, type ExperimentResults, type RunRecord } from './results.js';
import { firstCrossing, mean, meanAcross, meanCI, movingAverage, type MeanCI } from './stats.js';

/** The legend / table name of a planning setting: "Q-learning" for n = 0, "Dyna-Q (plan=n)" otherwise. */
export function settingLabel(planning: number): string {
  return planning === 0 ? 'Q-learning' : `Dyna-Q (plan=${planning})`;
}

export interface SettingSummary {
  planning: number;
  label: string;
  seeds: number;
  /** How many final episodes the final-performance numbers average (min(lastK, episodes)). */
  lastK: number;
  /** Per seed: mean return over the last K episodes; then mean and 95% t-interval across seeds. */
  finalReturn: MeanCI;
  /** Same for episode length. */
  finalSteps: MeanCI;
  /** 1-based episode at which the smoothed (moving-average) mean return across seeds first reaches the threshold; null if never. */
  firstCrossing: number | null;
  /** Sum of the runs' wall times (CPU seconds spent on this setting, whatever ran in parallel). */
  wallSeconds: number;
  updates: number;
  updatesPerSecond: number;
}

export interface SummaryOptions {
  window: number;
  threshold: number;
  lastK?: number;
}

function tailMean(xs: readonly number[], k: number): number {
  return mean(xs.slice(Math.max(0, xs.length - k)));
}

export function summarizeSetting(planning: number, runs: readonly RunRecord[], options: SummaryOptions): SettingSummary {
  const episodes = runs.length > 0 ? runs[0].rewards.length : 0;
  const lastK = Math.min(options.lastK ?? 100, episodes);
  const smoothedMean = movingAverage(meanAcross(runs.map((r) => r.rewards)), options.window);
  const crossing = firstCrossing(smoothedMean, options.threshold);
  const wallSeconds = runs.reduce((s, r) => s + r.wallSeconds, 0);
  const updates = runs.reduce((s, r) => s + r.updates, 0);
  return {
    planning,
    label: settingLabel(planning),
    seeds: runs.length,
    lastK,
    finalReturn: meanCI(runs.map((r) => tailMean(r.rewards, lastK))),
    finalSteps: meanCI(runs.map((r) => tailMean(r.steps, lastK))),
    firstCrossing: crossing === null ? null : crossing + 1,
    wallSeconds,
    updates,
    updatesPerSecond: wallSeconds > 0 ? updates / wallSeconds : Number.NaN,
  };
}

/** One summary per planning setting, in ascending planning order. */
export function summarize(results: ExperimentResults, options: SummaryOptions): SettingSummary[] {
  return [...groupByPlanning(results.runs)].map(([p, runs]) => summarizeSetting(p, runs, options));
}

/** `12.34 ± 0.56` (± omitted when the interval is undefined, i.e. one seed). */
export function formatMeanCI(ci: MeanCI, digits = 2): string {
  const m = ci.mean.toFixed(digits);
  return Number.isFinite(ci.halfWidth) ? `${m} ± ${ci.halfWidth.toFixed(digits)}` : m;
}

/** 1234567 → "1.23M", 12345 → "12.3k". */
export function formatRate(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}

/** The summary as a plain (uncoloured) text table. */
export function renderSummaryTable(summaries: readonly SettingSummary[], options: SummaryOptions): string {
  const k = summaries.length > 0 ? summaries[0].lastK : (options.lastK ?? 100);
  const table = new Table({
    head: [
      'setting',
      `return, last ${k} eps (mean ± 95% CI)`,
      `steps/ep, last ${k}`,
      `first ep, MA${options.window} ≥ ${options.threshold}`,
      'wall s (sum)',
      'Q-updates/s',
    ],
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const s of summaries) {
    table.push([
      s.label,
      formatMeanCI(s.finalReturn),
      formatMeanCI(s.finalSteps, 1),
      s.firstCrossing === null ? 'never' : String(s.firstCrossing),
      s.wallSeconds.toFixed(2),
      formatRate(s.updatesPerSecond),
    ]);
  }
  return table.toString();
}
