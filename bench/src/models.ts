#!/usr/bin/env node
/**
 * `pnpm bench:models`: world-model training and CEM planning throughput on one tfjs backend, each
 * beside its bare baseline in the same process. Run it once per backend (`--backend wasm`, `cpu`,
 * `tensorflow` where @tensorflow/tfjs-node is installed) to compare them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import os from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import Table from 'cli-table3';
import { BACKEND_CHOICES, describeBackend, initBackend, type BackendChoice } from '@reverie/nn';
import type { Measurement } from './measure.js';
import * as cases from './modelCases.js';

const program = new Command('reverie-bench-models')
  .description('World-model training samples/s and CEM decisions/s on one tfjs backend, each beside a bare baseline.')
  .addOption(new Option('--backend <name>', 'tfjs backend').choices(BACKEND_CHOICES).default('auto'))
  .option('--reps <n>', 'timed repetitions per case; the median is reported', positiveInt, 3)
  .option('--min-seconds <s>', 'minimum duration of one repetition', Number, 2)
  .option('--hidden <n>', 'hidden units per layer (2 layers) of the world models', positiveInt, 200)
  .option('--batch-size <n>', 'training minibatch (per ensemble member)', positiveInt, 256)
  .option('--members <n>', 'ensemble members', positiveInt, 5)
  .option('--iterations <list>', 'CEM refits per decision to measure, comma-separated', '1,2,5')
  .option('--plan-hidden <list>', 'hidden units of the ensembles CEM plans with, comma-separated', '64,200')
  .option('--out <file>', 'where to write the JSON results (default: bench/results/models-<backend>.json)')
  .option('--no-pin', 'do not pin the process to one CPU core with taskset')
  .parse();

interface Opts {
  backend: BackendChoice;
  reps: number;
  minSeconds: number;
  hidden: number;
  batchSize: number;
  members: number;
  iterations: string;
  planHidden: string;
  out?: string;
  pin: boolean;
}
const opts = program.opts<Opts>();

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got '${v}'`);
  return n;
}

// The figures are per core: re-run pinned to core 0 when taskset exists.
if (opts.pin && process.env.REVERIE_BENCH_PINNED !== '1') {
  const pinned = spawnSync('taskset', ['-c', '0', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, REVERIE_BENCH_PINNED: '1' },
  });
  if (pinned.error === undefined) process.exit(pinned.status ?? 1);
  console.error('taskset not available; running unpinned');
}

const backend = await initBackend({ backend: opts.backend });
console.error(`backend: ${describeBackend()}`);
const settings: cases.ModelBenchSettings = { reps: opts.reps, minSeconds: opts.minSeconds, hidden: opts.hidden, batchSize: opts.batchSize, members: opts.members };
const list = (s: string) => s.split(',').map((x) => positiveInt(x.trim()));
const iterations = list(opts.iterations);
const planHidden = list(opts.planHidden);
const replay = cases.randomCartPole(10_000);

const results: Record<string, Measurement> = {};
async function run(key: string, body: () => Measurement | Promise<Measurement>): Promise<void> {
  process.stderr.write(`measuring ${key}...\n`);
  results[key] = await body();
}
await run('trainDeterministic', () => cases.worldModelTraining('deterministic', replay, settings));
await run('bareTrain1', () => cases.bareMlpTraining(1, settings));
await run('trainEnsemble', () => cases.worldModelTraining('ensemble', replay, settings));
await run(`bareTrain${opts.members}`, () => cases.bareMlpTraining(opts.members, settings));
for (const hidden of planHidden) {
  const ensemble = await cases.trainedEnsemble(replay, { ...settings, hidden });
  for (const it of iterations) {
    const cem = { horizon: 30, population: 500, elites: 50, iterations: it };
    await run(`cemH${hidden}It${it}`, () => cases.cemDecisions(ensemble, cem, { ...settings, hidden }));
    await run(`forwardH${hidden}It${it}`, () => cases.ensembleForwardOnly(ensemble, cem, settings));
  }
  ensemble.dispose();
}

const ratio = (a: string, b: string) => results[a].opsPerSecond / results[b].opsPerSecond;
const ratios: Record<string, number> = {
  trainDeterministicOverBare: ratio('trainDeterministic', 'bareTrain1'),
  trainEnsembleOverBare: ratio('trainEnsemble', `bareTrain${opts.members}`),
  ...Object.fromEntries(planHidden.flatMap((h) => iterations.map((it) => [`cemH${h}It${it}OverForwardOnly`, ratio(`cemH${h}It${it}`, `forwardH${h}It${it}`)]))),
};

const table = new Table({ head: ['case', 'median', 'min', 'max'] });
for (const m of Object.values(results)) table.push([m.name, fmt(m.opsPerSecond), fmt(Math.min(...m.samples)), fmt(Math.max(...m.samples))]);
console.log(table.toString());
for (const [k, v] of Object.entries(ratios)) console.log(`${k}: ${v.toFixed(2)}`);

function fmt(v: number): string {
  return v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(1);
}

const out = opts.out ?? `bench/results/models-${backend}.json`;
const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  pinned: process.env.REVERIE_BENCH_PINNED === '1',
  backend: describeBackend(),
  settings: { ...settings, iterations, planHidden },
  results,
  ratios,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(`wrote ${out}`);
