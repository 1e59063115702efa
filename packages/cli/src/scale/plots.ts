/**
 * The sweep's figures against actor count, one line per envs-per-actor value: total env-steps/s,
 * scaling efficiency, learner updates/s, policy lag, weight broadcast latency, and the cluster model's
 * prediction beside the measurements.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { linePlotSpec, renderSvg, svgToPng, type LinePlot, type PlotSeries, type WrittenPlot } from '../plot.js';
import type { ClusterModel } from './model.js';
import type { Figure, PointResult } from './point.js';

type Pick = (p: PointResult) => Figure;

/** One series per envs-per-actor value, points in ascending actor count; missing figures are gaps. */
function seriesByEnvs(points: readonly PointResult[], pick: Pick, label: (envs: number) => string): PlotSeries[] {
  const envs = [...new Set(points.map((p) => p.envsPerActor))].sort((a, b) => a - b);
  return envs.map((e) => {
    const group = points.filter((p) => p.envsPerActor === e).sort((a, b) => a.actors - b.actors);
    return { label: label(e), x: group.map((p) => p.actors), y: group.map((p) => pick(p) ?? Number.NaN) };
  });
}

function actorTicks(points: readonly PointResult[]): number[] {
  return [...new Set(points.map((p) => p.actors))].sort((a, b) => a - b);
}

/** Specs of the measured figures, keyed by file base name. */
export function scalePlots(points: readonly PointResult[], subtitle: string): Record<string, LinePlot> {
  const common = { subtitle, xLabel: 'actors', xTicks: actorTicks(points), legendTitle: 'envs per actor' };
  const envsLabel = (e: number): string => String(e);
  const base = Math.min(...points.map((p) => p.actors));
  return {
    throughput: { ...common, title: 'Total env-steps/s vs actors', yLabel: 'env-steps/s (all actors)', series: seriesByEnvs(points, (p) => p.envStepsPerSecond, envsLabel) },
    efficiency: {
      ...common,
      title: base === 1 ? 'Scaling efficiency: throughput(n) / (n × throughput(1))' : `Scaling efficiency: per-actor throughput / that at ${base} actors`,
      yLabel: 'efficiency (1 = linear scaling)',
      series: seriesByEnvs(points, (p) => p.scalingEfficiency, envsLabel),
    },
    updates: { ...common, title: 'Learner updates/s vs actors', yLabel: 'gradient updates/s', series: seriesByEnvs(points, (p) => p.learnerUpdatesPerSecond, envsLabel) },
    'policy-lag': {
      ...common,
      title: 'Policy lag vs actors (per chunk, at the learner)',
      yLabel: 'versions behind the newest',
      legendTitle: 'statistic, envs',
      series: [...seriesByEnvs(points, (p) => p.policyLagMean, (e) => `mean, ${e}`), ...seriesByEnvs(points, (p) => p.policyLagP95, (e) => `p95, ${e}`)],
    },
    broadcast: {
      ...common,
      title: 'Weight broadcast latency vs actors (mean)',
      yLabel: 'milliseconds',
      legendTitle: 'path, envs',
      series: [
        ...seriesByEnvs(points, (p) => p.broadcastMeanMs, (e) => `publish → announce, ${e}`),
        ...seriesByEnvs(points, (p) => p.weightsApplyMeanMs, (e) => `created → acting, ${e}`),
      ],
    },
  };
}

/** The model's throughput prediction per envs-per-actor value beside what was measured, both axes logarithmic. */
export function modelPlot(model: ClusterModel, points: readonly PointResult[], subtitle: string): LinePlot {
  const envs = [...new Set(model.predictions.map((p) => p.envsPerActor))].sort((a, b) => a - b);
  const predicted = envs.map((e) => {
    const rows = model.predictions.filter((p) => p.envsPerActor === e);
    return { label: `model, ${e}`, x: rows.map((p) => p.actors), y: rows.map((p) => p.envStepsPerSecond) };
  });
  const measured = seriesByEnvs(points, (p) => (p.envStepsPerSecond > 0 ? p.envStepsPerSecond : null), (e) => `measured, ${e}`);
  return {
    title: 'Total env-steps/s: cluster model vs this machine',
    subtitle,
    xLabel: 'actors (log scale)',
    yLabel: 'env-steps/s (log scale)',
    xTicks: model.predictions.filter((p) => p.envsPerActor === envs[0]).map((p) => p.actors),
    legendTitle: 'envs per actor',
    series: [...predicted, ...measured],
  };
}

/** The line layer marks every measured point; `log` puts both axes on log scales. */
function tweak(spec: TopLevelSpec, log: boolean): TopLevelSpec {
  const s = spec as unknown as { layer: { mark: { type: string; point?: boolean } }[]; encoding: { x: { scale: object; axis: object } } };
  for (const layer of s.layer) if (layer.mark.type === 'line') layer.mark.point = true;
  // Actor counts are whole numbers: no "1.0".
  s.encoding.x.axis = { ...s.encoding.x.axis, format: 'd' };
  if (log) {
    s.encoding.x.scale = { type: 'log', base: 2, nice: false };
    for (const layer of s.layer as unknown as { encoding?: { y?: { scale?: object } } }[]) {
      if (layer.encoding?.y) layer.encoding.y.scale = { type: 'log', nice: true };
    }
  }
  return spec;
}

async function writePlot(plot: LinePlot, outBase: string, log: boolean): Promise<WrittenPlot> {
  const svg = await renderSvg(tweak(linePlotSpec(plot), log));
  const written = { svgPath: `${outBase}.svg`, pngPath: `${outBase}.png` };
  await writeFile(written.svgPath, svg);
  await writeFile(written.pngPath, svgToPng(svg));
  return written;
}

/** Writes every plot as `<dir>/<name>.svg` and `.png`; the model's when there is one. */
export async function writeScalePlots(dir: string, points: readonly PointResult[], model: ClusterModel | null, subtitle: string): Promise<WrittenPlot[]> {
  await mkdir(dir, { recursive: true });
  const written: WrittenPlot[] = [];
  for (const [name, plot] of Object.entries(scalePlots(points, subtitle))) written.push(await writePlot(plot, join(dir, name), false));
  if (model !== null && model.predictions.length > 0) written.push(await writePlot(modelPlot(model, points, subtitle), join(dir, 'model'), true));
  return written;
}
