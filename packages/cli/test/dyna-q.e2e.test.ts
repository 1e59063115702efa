import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runDynaQGrid } from '../src/experiment.js';
import { bufferIO } from '../src/io.js';
import { runCli } from '../src/program.js';
import { groupByPlanning, type ExperimentResults } from '../src/results.js';
import { mean } from '../src/stats.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('reverie dyna-q, a tiny real run', () => {
  it('writes results.json, results.csv and the plot, and prints the summary', async () => {
    const out = await mkdtemp(join(tmpdir(), 'reverie-dynaq-'));
    dirs.push(out);
    const io = bufferIO();
    const argv = ['dyna-q', '--env', 'DynaMaze-v0', '--episodes', '5', '--planning', '0,5', '--seeds', '2', '--out', out, '--workers', '1'];
    expect(await runCli(argv, io)).toBe(0);

    const json = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as {
      env: string;
      episodes: number;
      runs: { planning: number; seed: number; rewards: number[]; steps: number[]; wallSeconds: number; updates: number }[];
    };
    expect(Object.keys(json)).toEqual(['env', 'episodes', 'runs']);
    expect(json.env).toBe('DynaMaze-v0');
    expect(json.episodes).toBe(5);
    expect(json.runs.map((r) => [r.planning, r.seed])).toEqual([
      [0, 0],
      [0, 1],
      [5, 0],
      [5, 1],
    ]);
    for (const r of json.runs) {
      expect(Object.keys(r)).toEqual(['planning', 'seed', 'rewards', 'steps', 'wallSeconds', 'updates']);
      expect(r.rewards).toHaveLength(5);
      expect(r.steps).toHaveLength(5);
      // The maze pays 1 for reaching the goal and nothing else; it has no time limit.
      expect(r.rewards.every((x) => x === 1)).toBe(true);
      expect(r.steps.every((x) => Number.isInteger(x) && x >= 14)).toBe(true);
      expect(r.wallSeconds).toBeGreaterThan(0);
      const realSteps = r.steps.reduce((a, b) => a + b, 0);
      // One direct update per real step, plus up to n planning updates after each.
      expect(r.updates).toBeGreaterThanOrEqual(realSteps);
      expect(r.updates).toBeLessThanOrEqual(realSteps * (1 + r.planning));
      if (r.planning === 0) expect(r.updates).toBe(realSteps);
    }

    const csv = (await readFile(join(out, 'results.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv[0]).toBe('planning,seed,episode,reward,steps');
    expect(csv).toHaveLength(1 + 4 * 5);
    expect(csv[1]).toBe(`0,0,1,1,${json.runs[0].steps[0]}`);

    const png = await readFile(join(out, 'dyna_q_comparison.png'));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const svg = await readFile(join(out, 'dyna_q_comparison.svg'), 'utf8');
    expect(svg).toContain('Dyna-Q: more planning = faster learning');
    expect(svg).toContain('Q-learning');
    expect(svg).toContain('Dyna-Q (plan=5)');

    const text = io.out.join('');
    expect(text).toContain('Q-learning');
    expect(text).toContain('Dyna-Q (plan=5)');
    expect(text).toContain('Q-updates/s');
    expect(io.err.join('')).toBe('');
  });

  it('gives the same numbers on a rerun (seeded), whatever the worker count', async () => {
    const grid = { env: 'FrozenLake-v1', episodes: 20, planning: [0, 5], seeds: 2, alpha: 0.1, gamma: 0.95, epsilon: 0.1, workers: 1 };
    const a = await runDynaQGrid(grid);
    const b = await runDynaQGrid({ ...grid, workers: 2 });
    expect(b.runs.map((r) => [r.rewards, r.steps, r.updates])).toEqual(a.runs.map((r) => [r.rewards, r.steps, r.updates]));
  });

  it('reverie maze writes the figure and its JSON', async () => {
    const out = await mkdtemp(join(tmpdir(), 'reverie-maze-'));
    dirs.push(out);
    const io = bufferIO();
    expect(await runCli(['maze', '--episodes', '4', '--seeds', '2', '--planning', '0,5', '--out', out], io)).toBe(0);
    const curves = JSON.parse(await readFile(join(out, 'steps_per_episode.json'), 'utf8')) as {
      env: string;
      curves: { planning: number; label: string; episode: number[]; meanSteps: number[] }[];
    };
    expect(curves.env).toBe('DynaMaze-v0');
    expect(curves.curves.map((c) => c.label)).toEqual(['0 planning steps (direct RL only)', '5 planning steps']);
    expect(curves.curves[0].meanSteps).toHaveLength(4);
    expect((await readFile(join(out, 'steps_per_episode.png')).then((b) => b.subarray(0, 8))).equals(PNG_SIGNATURE)).toBe(true);
    const svg = await readFile(join(out, 'steps_per_episode.svg'), 'utf8');
    expect(svg).toContain('Steps per episode');
    expect(svg).toContain('5 planning steps');
    expect(JSON.parse(await readFile(join(out, 'results.json'), 'utf8'))).toMatchObject({ env: 'DynaMaze-v0', episodes: 4 });
  });
});

describe('learning order on the Dyna Maze (S&B fig. 8.2)', () => {
  it('more planning → fewer steps per episode over episodes 2..10', async () => {
    const results = await runDynaQGrid({
      env: 'DynaMaze-v0',
      episodes: 10,
      planning: [0, 5, 50],
      seeds: 5,
      alpha: 0.1,
      gamma: 0.95,
      epsilon: 0.1,
      workers: 1,
    });
    const groups = groupByPlanning(results.runs);
    const early = (p: number) => mean((groups.get(p) ?? []).flatMap((r) => r.steps.slice(1, 10)));
    const [n0, n5, n50] = [early(0), early(5), early(50)];
    expect(n50).toBeLessThan(n5);
    expect(n5).toBeLessThan(n0);
    // The book's scale: by then n = 50 walks nearly the 14-step shortest path, n = 0 still wanders.
    expect(n50).toBeLessThan(60);
    expect(n0).toBeGreaterThan(150);
  });
});

const builtMain = fileURLToPath(new URL('../dist/main.js', import.meta.url));

// The worker pool needs the compiled worker script, so this runs the built CLI (`pnpm test` builds first).
describe('the built reverie executable', () => {
  it('gives the same runs with a worker pool as inline, and exits 2 on a bad option', async () => {
    expect(existsSync(builtMain), `${builtMain} is missing: build with \`pnpm build\` before running this test`).toBe(true);
    const out = await mkdtemp(join(tmpdir(), 'reverie-built-'));
    dirs.push(out);
    const argv = ['dyna-q', '--env', 'FrozenLake-v1', '--episodes', '30', '--planning', '0,5', '--seeds', '3', '--workers', '2', '--out', out];
    const res = spawnSync(process.execPath, [builtMain, ...argv], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('Dyna-Q (plan=5)');
    const pooled = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ExperimentResults;
    const inline = await runDynaQGrid({ env: 'FrozenLake-v1', episodes: 30, planning: [0, 5], seeds: 3, alpha: 0.1, gamma: 0.95, epsilon: 0.1, workers: 1 });
    expect(pooled.runs.map((r) => [r.planning, r.seed, r.rewards, r.steps, r.updates])).toEqual(
      inline.runs.map((r) => [r.planning, r.seed, r.rewards, r.steps, r.updates]),
    );

    const bad = spawnSync(process.execPath, [builtMain, 'dyna-q', '--planning', '5,x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--planning/);
    expect(bad.stdout).toBe('');
  });
});
