/**
 * What a sweep leaves behind: `scale.csv` (one row per point), `report.json` (every point, the
 * machine, the settings and the cluster model) and the summary table printed at the end.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { formatRate } from '../summary.js';
import type { ClusterModel } from './model.js';
import type { Figure, PointResult } from './point.js';
import type { SweepFailure } from './sweep.js';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  nodeVersion: string;
  platform: string;
  totalMemoryBytes: number;
  /** os.loadavg() when the sweep started: 1, 5 and 15 minutes. */
  loadAverageAtStart: [number, number, number];
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  const [l1, l5, l15] = loadavg();
  return {
    cpus: c.length,
    cpuModel: c[0]?.model ?? 'unknown',
    nodeVersion: process.version,
    platform: `${process.platform}-${process.arch}`,
    totalMemoryBytes: totalmem(),
    loadAverageAtStart: [l1, l5, l15],
  };
}

export interface ScaleReport {
  mode: 'local' | 'cluster';
  /** The command line that repeats this sweep, every option spelled out. */
  command: string;
  env: string;
  settings: Record<string, unknown>;
  machine: MachineInfo;
  startedAt: string;
  finishedAt: string;
  /** Measured points, in the order they ran. */
  points: PointResult[];
  /** Why the sweep stopped early: the point that failed (null: before the first) and the reason. */
  failure: SweepFailure | null;
  /** Fitted to `points`; null when no point measured any env steps. */
  model: ClusterModel | null;
  plots: { svgPath: string; pngPath: string }[];
}

/** CSV columns, in order: the point, then its figures (empty cell: no data in the window). */
export const CSV_COLUMNS = [
  'actors',
  'envsPerActor',
  'windowSeconds',
  'envStepsPerSecond',
  'envStepsPerSecondPerActor',
  'scalingEfficiency',
  'learnerUpdatesPerSecond',
  'ingestStepsPerSecond',
  'versionsPerSecond',
  'policyLagMean',
  'policyLagP95',
  'broadcastMeanMs',
  'broadcastP95Ms',
  'weightsApplyMeanMs',
  'weightsApplyP95Ms',
  'actorCpuMicrosPerStep',
  'learnerCpuCores',
  'loadAverage1m',
] as const satisfies readonly (keyof PointResult)[];

function cell(v: Figure): string {
  return v === null || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(6)));
}

export function scaleCsv(points: readonly PointResult[]): string {
  const rows = points.map((p) => CSV_COLUMNS.map((c) => cell(p[c])).join(','));
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** Writes scale.csv and report.json into `dir`; returns their paths. */
export async function writeScaleReport(dir: string, report: ScaleReport): Promise<{ csvPath: string; jsonPath: string }> {
  await mkdir(dir, { recursive: true });
  const csvPath = join(dir, 'scale.csv');
  const jsonPath = join(dir, 'report.json');
  await writeFile(csvPath, scaleCsv(report.points));
  // JSON has no NaN: missing figures are already null.
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  return { csvPath, jsonPath };
}

function fixed(v: Figure, digits: number): string {
  return v === null ? '–' : v.toFixed(digits);
}

/** The summary table: one row per point. */
export function renderScaleTable(points: readonly PointResult[]): string {
  const table = new Table({
    head: ['actors', 'envs/actor', 'env-steps/s', 'per actor', 'efficiency', 'updates/s', 'ingest/s', 'lag mean/p95', 'broadcast ms mean/p95', 'apply ms mean/p95', 'actor CPU µs/step'],
    style: { head: [], border: [] },
    colAligns: Array.from({ length: 11 }, () => 'right' as const),
  });
  for (const p of points) {
    table.push([
      String(p.actors),
      String(p.envsPerActor),
      formatRate(p.envStepsPerSecond),
      formatRate(p.envStepsPerSecondPerActor),
      fixed(p.scalingEfficiency, 2),
      p.learnerUpdatesPerSecond.toFixed(1),
      formatRate(p.ingestStepsPerSecond),
      `${fixed(p.policyLagMean, 2)} / ${fixed(p.policyLagP95, 1)}`,
      `${fixed(p.broadcastMeanMs, 1)} / ${fixed(p.broadcastP95Ms, 1)}`,
      `${fixed(p.weightsApplyMeanMs, 0)} / ${fixed(p.weightsApplyP95Ms, 0)}`,
      fixed(p.actorCpuMicrosPerStep, 1),
    ]);
  }
  return table.toString();
}

/** The model's predictions as a table: actors down; per envs-per-actor value env-steps/s (the binding limit) and the learner's updates/s. */
export function renderModelTable(model: ClusterModel): string {
  const envs = [...new Set(model.predictions.map((p) => p.envsPerActor))];
  const table = new Table({
    head: ['actors', ...envs.flatMap((e) => [`${e} envs/actor: env-steps/s (limit)`, 'updates/s'])],
    style: { head: [], border: [] },
    colAligns: ['right', ...envs.flatMap((): 'right'[] => ['right', 'right'])],
  });
  for (const n of [...new Set(model.predictions.map((p) => p.actors))]) {
    const row = model.predictions.filter((p) => p.actors === n);
    const cells = row.flatMap((p) => [`${formatRate(p.envStepsPerSecond)} (${p.bottleneck})`, fixed(p.learnerUpdatesPerSecond, 0)]);
    table.push([String(n), ...cells]);
  }
  return table.toString();
}
