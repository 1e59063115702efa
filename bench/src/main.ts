#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import os from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import Table from 'cli-table3';
import * as cases from './cases.js';
import type { Measurement } from './measure.js';

const program = new Command('reverie-bench')
  .description('Throughput of the hot paths (env stepping, vector envs, Dyna-Q planning), each beside a bare baseline.')
  .option('--reps <n>', 'timed repetitions per case; the median is reported', positiveInt, 7)
  .option('--min-seconds <s>', 'minimum duration of one repetition', Number, 0.5)
  .option('--out <file>', 'where to write the JSON results', 'bench/results/latest.json')
  .option('--no-pin', 'do not pin the process to one CPU core with taskset')
  .parse();

const opts = program.opts<{ reps: number; minSeconds: number; out: string; pin: boolean }>();

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got '${v}'`);
  return n;
}

// The targets are per core: re-run pinned to core 0 when taskset exists.
if (opts.pin && process.env.REVERIE_BENCH_PINNED !== '1') {
  const pinned = spawnSync('taskset', ['-c', '0', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, REVERIE_BENCH_PINNED: '1' },
  });
  if (pinned.error === undefined) process.exit(pinned.status ?? 1);
  console.error('taskset not available; running unpinned');
}

const settings = { reps: opts.reps, minSeconds: opts.minSeconds };
const results: Record<string, Measurement> = {};
const steps: [string, () => Measurement][] = [
  ['cartpoleSingle', () => cases.cartPoleSingle(settings)],
  ...[1, 64, 1024].flatMap((n): [string, () => Measurement][] => [
    [`cartpoleVec${n}`, () => cases.cartPoleVector(n, settings)],
    [`cartpoleBare${n}`, () => cases.cartPoleBare(n, settings)],
  ]),
  ['taxiSingle', () => cases.taxiSingle(settings)],
  ['dynaQPlanning', () => cases.dynaQPlanning(settings)],
  ['qPlanningBare', () => cases.qPlanningBare(settings)],
];
for (const [key, run] of steps) {
  process.stderr.write(`measuring ${key}...\n`);
  results[key] = run();
}

const ratio = (a: string, b: string) => results[a].opsPerSecond / results[b].opsPerSecond;
const ratios = {
  cartpoleVec1024OverBare: ratio('cartpoleVec1024', 'cartpoleBare1024'),
  cartpoleVec64OverBare: ratio('cartpoleVec64', 'cartpoleBare64'),
  dynaQOverBare: ratio('dynaQPlanning', 'qPlanningBare'),
};

const table = new Table({ head: ['case', 'median ops/s', 'min', 'max'] });
for (const m of Object.values(results)) {
  table.push([m.name, fmt(m.opsPerSecond), fmt(Math.min(...m.samples)), fmt(Math.max(...m.samples))]);
}
console.log(table.toString());
for (const [k, v] of Object.entries(ratios)) console.log(`${k}: ${v.toFixed(2)}`);

function fmt(v: number): string {
  return v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(1)} k`;
}

const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  pinned: process.env.REVERIE_BENCH_PINNED === '1',
  settings,
  results,
  ratios,
};
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, JSON.stringify(report, null, 2) + '\n');
console.log(`wrote ${opts.out}`);
