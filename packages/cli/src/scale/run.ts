/**
 * `reverie scale` from parsed options to files: runs the sweep locally or on a cluster, adds scaling
 * efficiency, fits the cluster model, writes scale.csv, report.json and the plots, prints the tables.
 */
import { join } from 'node:path';
import type { CliIO } from '../io.js';
import type { StackAlgo } from '../stack/services.js';
import { prefixedSink } from '../stack/logs.js';
import { runCommand, SCALE_NAMESPACE, type ClusterSettings, type CommandRunner } from './cluster.js';
import { openClusterSession, type ClusterSessionOptions } from './clusterSession.js';
import { runLocalPoint, type LocalPointSettings } from './local.js';
import { clusterModel, type ClusterAssumptions, type ClusterModel } from './model.js';
import { withScalingEfficiency, type PointResult } from './point.js';
import { writeScalePlots } from './plots.js';
import { machineInfo, renderModelTable, renderScaleTable, writeScaleReport, type ScaleReport } from './report.js';
import { runSweep, sweepPoints, type PointRunner, type SweepOutcome } from './sweep.js';

export interface ScaleClusterConfig {
  kubectl: string;
  kustomize: string | null;
  k8sDir: string;
  /** null: port-forward to svc/prometheus. */
  prometheusUrl: string | null;
  readyTimeoutSeconds: number;
  /** Seconds after the window before Prometheus is asked about it: two of its 5 s scrape intervals. */
  tailSeconds: number;
  /** How often to ask whether the Job's pods are ready. */
  pollMs: number;
}

export interface ScaleConfig {
  mode: 'local' | 'cluster';
  actors: number[];
  envs: number[];
  seconds: number;
  warmupSeconds: number;
  env: string;
  algo: StackAlgo;
  workersPerActor: number;
  seed: number;
  out: string;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  servicesDir: string;
  /** Root of each point's data folder; null: a temporary folder per point. */
  dataDir: string | null;
  cluster: ScaleClusterConfig;
  assumptions: ClusterAssumptions;
}

/** Seams for the cluster mode's tests: the command runner and how Prometheus is reached and read. */
export type ScaleDeps = Partial<Pick<ClusterSessionOptions, 'forward' | 'readWindow'>> & { run?: CommandRunner };

/** The command line that repeats a sweep, every option spelled out. */
export function scaleCommandLine(c: ScaleConfig): string {
  const parts = ['reverie scale', `--actors ${c.actors.join(',')}`, `--envs ${c.envs.join(',')}`, `--seconds ${c.seconds}`, `--warmup ${c.warmupSeconds}`];
  parts.push(`--env ${c.env}`, `--algo ${c.algo}`, `--workers-per-actor ${c.workersPerActor}`, `--seed ${c.seed}`, `--out ${c.out}`);
  if (c.mode === 'cluster') {
    parts.push('--cluster', `--kubectl ${c.cluster.kubectl}`);
    if (c.cluster.kustomize !== null) parts.push(`--kustomize ${c.cluster.kustomize}`);
    if (c.cluster.prometheusUrl !== null) parts.push(`--prometheus ${c.cluster.prometheusUrl}`);
  }
  const a = c.assumptions;
  parts.push(`--model-actor-cores ${a.actorCores}`, `--model-learner-cores ${a.learnerCores ?? 'measured'}`, `--model-network-gbps ${a.networkGbps}`);
  return parts.join(' ');
}

function localRunner(c: ScaleConfig, notice: (text: string) => void, onKill: (kill: () => void) => void): PointRunner {
  const s: LocalPointSettings = {
    servicesDir: c.servicesDir,
    env: c.env,
    algo: c.algo,
    workersPerActor: c.workersPerActor,
    seed: c.seed,
    readyTimeoutMs: c.readyTimeoutMs,
    stopTimeoutMs: c.stopTimeoutMs,
    warmupSeconds: c.warmupSeconds,
    seconds: c.seconds,
    logsDir: join(c.out, 'logs'),
    dataRoot: c.dataDir,
  };
  return (point, signal) => runLocalPoint(point, s, signal, { notice, onKill });
}

function clusterSettings(c: ScaleConfig): ClusterSettings {
  const { prometheusUrl: _, ...k } = c.cluster;
  return { ...k, namespace: SCALE_NAMESPACE, warmupSeconds: c.warmupSeconds, seconds: c.seconds };
}

async function sweepCluster(c: ScaleConfig, io: CliIO, signal: AbortSignal, deps: ScaleDeps): Promise<SweepOutcome> {
  const points = sweepPoints(c.actors, c.envs);
  const notice = (text: string): void => io.stderr(`reverie scale: ${text}\n`);
  const options = { run: deps.run ?? runCommand, prometheusUrl: c.cluster.prometheusUrl, forward: deps.forward, readWindow: deps.readWindow };
  let session;
  try {
    session = await openClusterSession(clusterSettings(c), options, prefixedSink(io.stderr));
  } catch (e) {
    return { results: [], failure: { point: null, message: (e as Error).message } };
  }
  try {
    return await runSweep(points, session.runPoint, signal, notice);
  } finally {
    await session.close();
  }
}

/** The model, when any point measured env steps at the learner. */
function fitModel(c: ScaleConfig, points: readonly PointResult[]): ClusterModel | null {
  return points.some((p) => p.ingestStepsPerSecond > 0 && p.actorCpuMicrosPerStep !== null) ? clusterModel(c.env, points, c.assumptions) : null;
}

function subtitleOf(c: ScaleConfig, report: Pick<ScaleReport, 'machine' | 'startedAt'>): string {
  const where = c.mode === 'local' ? `this machine (${report.machine.cpus} CPUs, load ${report.machine.loadAverageAtStart[0].toFixed(1)} at start)` : 'Kubernetes cluster';
  return `${c.env}, ${c.algo}, ${c.seconds} s windows, ${where}, ${report.startedAt.slice(0, 10)}`;
}

/** Writes the report, CSV and plots; prints the tables and where the files went. */
async function finish(c: ScaleConfig, io: CliIO, outcome: SweepOutcome, startedAt: string, machine: ScaleReport['machine']): Promise<ScaleReport> {
  const points = outcome.results.length > 0 ? withScalingEfficiency(outcome.results) : [];
  const model = fitModel(c, points);
  const report: ScaleReport = {
    mode: c.mode,
    command: scaleCommandLine(c),
    env: c.env,
    settings: { ...c, cluster: c.mode === 'cluster' ? c.cluster : null },
    machine,
    startedAt,
    finishedAt: new Date().toISOString(),
    points,
    failure: outcome.failure,
    model,
    plots: [],
  };
  if (points.length > 0) report.plots = await writeScalePlots(c.out, points, model, subtitleOf(c, report));
  const { csvPath, jsonPath } = await writeScaleReport(c.out, report);
  if (points.length > 0) io.stdout(`${renderScaleTable(points)}\n`);
  if (model !== null) io.stdout(`cluster model (${model.assumptionText.length} assumptions in report.json; learner: ${model.costs.learnerFit}):\n${renderModelTable(model)}\n`);
  io.stdout(`wrote ${csvPath}, ${jsonPath}${report.plots.length > 0 ? ` and ${report.plots.length} plots (PNG + SVG) in ${c.out}` : ''}\n`);
  return report;
}

/** Runs the sweep and writes its results; a failed point ends the sweep and is in `report.failure`. */
export async function runScale(c: ScaleConfig, io: CliIO, signal: AbortSignal, onKill: (kill: () => void) => void, deps: ScaleDeps = {}): Promise<ScaleReport> {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const notice = (text: string): void => io.stderr(`reverie scale: ${text}\n`);
  const points = sweepPoints(c.actors, c.envs);
  const where = c.mode === 'local' ? `on this machine; logs in ${join(c.out, 'logs')}` : 'on the cluster';
  notice(`${points.length} point(s) ${where}: actors ${c.actors.join(',')} × envs per actor ${c.envs.join(',')}, ${c.warmupSeconds} s warm-up + ${c.seconds} s window each`);
  const outcome = c.mode === 'local' ? await runSweep(points, localRunner(c, notice, onKill), signal, notice) : await sweepCluster(c, io, signal, deps);
  return finish(c, io, outcome, startedAt, machine);
}
