import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { PLOT_FONT_FAMILY, plotFontFiles } from './fonts.js';

/** One line of a line plot, optionally with a shaded band (`lo`..`hi`) around it. */
export interface PlotSeries {
  label: string;
  x: readonly number[];
  y: readonly number[];
  lo?: readonly number[];
  hi?: readonly number[];
  /** CSS colour; defaults to the matplotlib "tab10" cycle in series order. */
  color?: string;
}

export interface LinePlot {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: readonly PlotSeries[];
  width?: number;
  height?: number;
  xDomain?: [number, number];
  yDomain?: [number, number];
  xTicks?: number[];
  /** With `xDomain` and no `xTicks`: keep automatic x ticks on whole numbers (episodes). */
  xIntegerTicks?: boolean;
  yTicks?: number[];
  /** Draw grid lines (default true). */
  grid?: boolean;
  /** Legend title; null for none (default). */
  legendTitle?: string | null;
  legendOrient?: 'right' | 'top-right' | 'bottom-right' | 'top-left' | 'bottom-left' | 'bottom' | 'top';
  /** Opacity of the bands (default 0.18). */
  bandOpacity?: number;
}

/** matplotlib's tab10, so the figures read like the usual Python RL plots. */
export const TAB10 = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

interface Row {
  series: string;
  x: number;
  y: number | null;
  lo: number | null;
  hi: number | null;
}

function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/**
 * Round tick values inside [lo, hi]: the smallest step of 1, 2 or 5 × 10^k (and ≥ `minStep`) that gives
 * at most `maxTicks` ticks, e.g. (1, 500) → 100, 200, ..., 500.
 */
export function niceTicks(lo: number, hi: number, maxTicks = 8, minStep = 0): number[] {
  if (!(hi > lo)) return [lo];
  const span = hi - lo;
  let step = 10 ** Math.floor(Math.log10(span / maxTicks));
  for (const m of [1, 2, 5, 10]) {
    if (span / (step * m) <= maxTicks) {
      step *= m;
      break;
    }
  }
  step = Math.max(step, minStep);
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * span; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * Breaks a ' · '-separated subtitle into lines of about `maxChars` (Vega titles do not wrap, and one long
 * line would widen the whole figure past its plot).
 */
export function wrapSubtitle(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const part of text.split(' · ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 3 + part.length <= maxChars) lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(part);
  }
  return lines;
}

/** The Vega-Lite spec for a line plot (exported so callers can inspect or tweak it). */
export function linePlotSpec(plot: LinePlot): TopLevelSpec {
  const labels = plot.series.map((s) => s.label);
  if (new Set(labels).size !== labels.length) throw new Error(`plot series labels must be unique: ${labels.join(', ')}`);
  const colors = plot.series.map((s, i) => s.color ?? TAB10[i % TAB10.length]);
  const rows: Row[] = [];
  let anyBand = false;
  for (const s of plot.series) {
    if (s.x.length !== s.y.length) throw new Error(`series '${s.label}': x and y differ in length`);
    for (let i = 0; i < s.x.length; i++) {
      const lo = finiteOrNull(s.lo?.[i]);
      const hi = finiteOrNull(s.hi?.[i]);
      if (lo !== null && hi !== null) anyBand = true;
      rows.push({ series: s.label, x: s.x[i], y: finiteOrNull(s.y[i]), lo, hi });
    }
  }
  const grid = plot.grid ?? true;
  const xScale = plot.xDomain ? { domain: plot.xDomain, nice: false, zero: false } : { nice: true, zero: false };
  const yScale = plot.yDomain ? { domain: plot.yDomain, nice: false, zero: false } : { zero: false };
  const clip = plot.xDomain !== undefined || plot.yDomain !== undefined;
  const legendOrient = plot.legendOrient ?? 'right';

  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: plot.subtitle ? { text: plot.title, subtitle: wrapSubtitle(plot.subtitle, (plot.width ?? 640) / 6.5) } : { text: plot.title },
    width: plot.width ?? 640,
    height: plot.height ?? 400,
    background: 'white',
    padding: 12,
    data: { values: rows },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: plot.xLabel,
        scale: xScale,
        axis: {
          grid,
          ...(plot.xTicks
            ? { values: plot.xTicks }
            : plot.xDomain
              ? { values: niceTicks(plot.xDomain[0], plot.xDomain[1], 8, plot.xIntegerTicks ? 1 : 0) }
              : {}),
        },
      },
      color: {
        field: 'series',
        type: 'nominal',
        sort: labels,
        scale: { domain: labels, range: colors },
        legend: { title: plot.legendTitle ?? null, orient: legendOrient, labelLimit: 400, symbolType: 'stroke' },
      },
    },
    layer: [
      ...(anyBand
        ? [
            {
              transform: [{ filter: 'datum.lo != null && datum.hi != null' }],
              mark: { type: 'area' as const, opacity: plot.bandOpacity ?? 0.18, clip },
              encoding: {
                y: { field: 'lo', type: 'quantitative' as const, scale: yScale, title: plot.yLabel },
                y2: { field: 'hi' },
              },
            },
          ]
        : []),
      {
        transform: [{ filter: 'datum.y != null' }],
        mark: { type: 'line' as const, strokeWidth: 1.8, clip },
        encoding: {
          y: {
            field: 'y',
            type: 'quantitative' as const,
            title: plot.yLabel,
            scale: yScale,
            axis: { grid, ...(plot.yTicks ? { values: plot.yTicks } : {}) },
          },
        },
      },
    ],
    config: {
      font: PLOT_FONT_FAMILY,
      title: { fontSize: 16, subtitleFontSize: 12, anchor: 'middle', offset: 10 },
      axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal' },
      legend: { labelFontSize: 12, symbolStrokeWidth: 3, symbolSize: 200, symbolOpacity: 1 },
      view: { stroke: '#444' },
    },
  };
  return spec;
}

/** Renders a Vega-Lite spec to an SVG string, headless (no canvas, no browser). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG to PNG with the bundled DejaVu font; `scale` 2 gives a crisp, retina-size image. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles: plotFontFiles(), loadSystemFonts: false, defaultFontFamily: PLOT_FONT_FAMILY },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    logLevel: 'off',
  });
  return resvg.render().asPng();
}

export interface WrittenPlot {
  svgPath: string;
  pngPath: string;
}

/** Writes `<outBase>.svg` and `<outBase>.png` for a line plot. */
export async function writeLinePlot(plot: LinePlot, outBase: string): Promise<WrittenPlot> {
  const svg = await renderSvg(linePlotSpec(plot));
  const png = svgToPng(svg);
  const svgPath = `${outBase}.svg`;
  const pngPath = `${outBase}.png`;
  await mkdir(dirname(svgPath), { recursive: true });
  await writeFile(svgPath, svg);
  await writeFile(pngPath, png);
  return { svgPath, pngPath };
}
