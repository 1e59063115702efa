import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { comparisonPlot } from '../src/commands/dyna-q.js';
import { mazeCurves, mazePlot } from '../src/commands/maze.js';
import { linePlotSpec, niceTicks, renderSvg, svgToPng, wrapSubtitle, writeLinePlot } from '../src/plot.js';
import { readResults, resultsToCsv, resultsToJson, writeResults, type ExperimentResults } from '../src/results.js';
import { renderSummaryTable, settingLabel, summarize } from '../src/summary.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Two settings × two seeds × four episodes of made-up numbers. */
const synthetic: ExperimentResults = {
  env: 'Taxi-v3',
  episodes: 4,
  runs: [
    { planning: 5, seed: 0, rewards: [-10, -4, 2, 6], steps: [30, 20, 12, 10], wallSeconds: 0.5, updates: 400 },
    { planning: 0, seed: 1, rewards: [-12, -8, -2, 0], steps: [40, 30, 20, 15], wallSeconds: 0.2, updates: 100 },
    { planning: 0, seed: 0, rewards: [-10, -6, -4, 2], steps: [35, 25, 18, 12], wallSeconds: 0.3, updates: 90 },
    { planning: 5, seed: 1, rewards: [-8, -2, 4, 8], steps: [28, 18, 11, 9], wallSeconds: 0.5, updates: 600 },
  ],
};

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('results files', () => {
  it('results.json has exactly the documented shape and key order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reverie-cli-'));
    dirs.push(dir);
    const written = await writeResults(dir, synthetic);
    const text = await readFile(written.jsonPath, 'utf8');
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['env', 'episodes', 'runs']);
    const runs = parsed.runs as Record<string, unknown>[];
    expect(Object.keys(runs[0])).toEqual(['planning', 'seed', 'rewards', 'steps', 'wallSeconds', 'updates']);
    expect(await readResults(written.jsonPath)).toEqual(synthetic);
    expect(text).toBe(resultsToJson(synthetic));
  });

  it('results.csv has one row per run × episode', () => {
    const lines = resultsToCsv(synthetic).trimEnd().split('\n');
    expect(lines[0]).toBe('planning,seed,episode,reward,steps');
    expect(lines).toHaveLength(1 + 4 * 4);
    expect(lines[1]).toBe('5,0,1,-10,30');
    expect(lines[4]).toBe('5,0,4,6,10');
    expect(lines[5]).toBe('0,1,1,-12,40');
  });
});

describe('summary', () => {
  it('labels settings', () => {
    expect(settingLabel(0)).toBe('Q-learning');
    expect(settingLabel(20)).toBe('Dyna-Q (plan=20)');
  });

  it('computes final return, first crossing, wall time and update rate per setting', () => {
    const s = summarize(synthetic, { window: 2, threshold: 0, lastK: 2 });
    expect(s.map((x) => x.planning)).toEqual([0, 5]);
    const [q, dyna] = s;
    // Q-learning: last-2 means per seed: seed 0 (-4+2)/2 = -1, seed 1 (-2+0)/2 = -1 → mean -1, zero spread.
    expect(q.finalReturn.mean).toBe(-1);
    expect(q.finalReturn.halfWidth).toBe(0);
    // Dyna: seed 0 (2+6)/2 = 4, seed 1 (4+8)/2 = 6 → mean 5, s = √2, half = 12.7062·√2/√2.
    expect(dyna.finalReturn.mean).toBe(5);
    expect(dyna.finalReturn.halfWidth).toBeCloseTo(12.706204736, 6);
    // Mean across seeds: Q [-11, -7, -3, 1] → MA2 [-11, -9, -5, -1]: never ≥ 0.
    expect(q.firstCrossing).toBeNull();
    // Dyna [-9, -3, 3, 7] → MA2 [-9, -6, 0, 5]: first ≥ 0 at episode 3 (1-based).
    expect(dyna.firstCrossing).toBe(3);
    expect(q.wallSeconds).toBeCloseTo(0.5, 12);
    expect(dyna.updates).toBe(1000);
    expect(dyna.updatesPerSecond).toBeCloseTo(1000, 9);
    const table = renderSummaryTable(s, { window: 2, threshold: 0 });
    expect(table).toContain('Q-learning');
    expect(table).toContain('Dyna-Q (plan=5)');
    expect(table).toContain('5.00 ± 12.71');
    expect(table).toContain('never');
    expect(table).not.toMatch(/\u001b\[/); // no colour codes
  });
});

describe('plots', () => {
  it('the comparison plot has one smoothed series with a band per setting', () => {
    const plot = comparisonPlot(synthetic, 2);
    expect(plot.title).toBe('Dyna-Q: more planning = faster learning');
    expect(plot.series.map((s) => s.label)).toEqual(['Q-learning', 'Dyna-Q (plan=5)']);
    expect(plot.series[1].y).toEqual([-9, -6, 0, 5]);
    expect(plot.series[1].x).toEqual([1, 2, 3, 4]);
    expect(plot.series[1].lo).toHaveLength(4);
  });

  it('renders SVG with the title and legend labels, and a PNG', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reverie-plot-'));
    dirs.push(dir);
    const out = await writeLinePlot(comparisonPlot(synthetic, 2), join(dir, 'dyna_q_comparison'));
    const svg = await readFile(out.svgPath, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Dyna-Q: more planning = faster learning');
    expect(svg).toContain('Q-learning');
    expect(svg).toContain('Dyna-Q (plan=5)');
    expect(svg).toContain('DejaVu Sans');
    const png = await readFile(out.pngPath);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // 2× zoom of the vega canvas: comfortably larger than the 640×400 plot area.
    expect(png.readUInt32BE(16)).toBeGreaterThan(1200);
  });

  it('the maze plot starts at episode 2 with the book labels', async () => {
    const maze: ExperimentResults = {
      env: 'DynaMaze-v0',
      episodes: 3,
      runs: [
        { planning: 0, seed: 0, rewards: [1, 1, 1], steps: [1700, 900, 300], wallSeconds: 0.1, updates: 1 },
        { planning: 0, seed: 1, rewards: [1, 1, 1], steps: [1500, 700, 500], wallSeconds: 0.1, updates: 1 },
        { planning: 50, seed: 0, rewards: [1, 1, 1], steps: [1600, 40, 16], wallSeconds: 0.1, updates: 1 },
      ],
    };
    const curves = mazeCurves(maze);
    expect(curves[0].meanSteps).toEqual([1600, 800, 400]);
    const plot = mazePlot(curves, 2, 3);
    expect(plot.series[0].x).toEqual([2, 3]);
    expect(plot.series[0].y).toEqual([800, 400]);
    expect(plot.series.map((s) => s.label)).toEqual(['0 planning steps (direct RL only)', '50 planning steps']);
    const svg = await renderSvg(linePlotSpec(plot));
    expect(svg).toContain('Steps per episode');
    expect(svgToPng(svg).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('rejects duplicate series labels', () => {
    expect(() =>
      linePlotSpec({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ label: 'a', x: [1], y: [1] }, { label: 'a', x: [1], y: [2] }] }),
    ).toThrow(/unique/);
  });
});

describe('niceTicks', () => {
  it('picks 1/2/5 × 10^k steps inside the range', () => {
    expect(niceTicks(1, 500)).toEqual([100, 200, 300, 400, 500]);
    expect(niceTicks(1, 50)).toEqual([10, 20, 30, 40, 50]);
    expect(niceTicks(1, 50, 10)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 5)).toEqual([1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
    expect(niceTicks(1, 5, 8, 1)).toEqual([1, 2, 3, 4, 5]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});

describe('wrapSubtitle', () => {
  it("breaks at ' · ' so no line passes the limit unless one part alone does", () => {
    expect(wrapSubtitle('10 seeds · mean and min–max · 5 episodes', 30)).toEqual(['10 seeds · mean and min–max', '5 episodes']);
    expect(wrapSubtitle('short · text', 40)).toEqual(['short · text']);
    expect(wrapSubtitle('a part longer than the limit · b', 10)).toEqual(['a part longer than the limit', 'b']);
  });
});
