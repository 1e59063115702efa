import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveDynaOptions } from '@reverie/agents';
import { BACKEND_CHOICES } from '@reverie/nn';
import Table from 'cli-table3';
import { Command } from 'commander';
import { z } from 'zod';
import { backendField, startBackend } from '../backend.js';
import { type DynaDqnJob, type DynaDqnRun, runDynaDqnJobs } from '../dyna-dqn-job.js';
import type { CliIO } from '../io.js';
import { intOption, numberOption, OptionError, parseOptions, workersOption } from '../options.js';
import { type LinePlot, type WrittenPlot, writeLinePlot } from '../plot.js';
import { createProgress } from '../progress.js';
import { meanAcross } from '../stats.js';

export const ALGOS = ['dyna-dqn'] as const;
export const DYNA_VARIANTS = ['none', 'ensemble'] as const;
type Variant = (typeof DYNA_VARIANTS)[number];

const variantList = z
  .string()
  .trim()
  .transform((s) => s.split(',').map((p) => p.trim()))
  .refine((xs) => xs.length > 0 && xs.every((x) => (DYNA_VARIANTS as readonly string[]).includes(x)) && new Set(xs).size === xs.length, {
    message: `must be a comma-separated list of distinct values from ${DYNA_VARIANTS.join(', ')}`,
  })
  .transform((xs) => xs as Variant[]);

export const trainSchema = z.object({
  algo: z.enum(ALGOS, { error: `must be one of ${ALGOS.join(', ')}` }),
  env: z.literal('CartPole-v1', { error: 'must be CartPole-v1 (the only env dyna-dqn is set up for)' }),
  model: variantList.optional(),
  variants: variantList,
  seeds: intOption(1),
  steps: intOption(1),
  evalEvery: intOption(1),
  evalEpisodes: intOption(1),
  target: numberOption(),
  stopAtTarget: z.boolean(),
  gradientSteps: intOption(1),
  planningUpdates: intOption(0),
  realRatio: numberOption(0, 1),
  rolloutLength: intOption(1),
  maxRolloutLength: intOption(1).optional(),
  rolloutTargets: z.enum(['one-step', 'n-step'], { error: 'must be one-step or n-step' }),
  maxDisagreement: numberOption(0, Infinity, true),
  terminationWeight: numberOption(0, Infinity, true),
  targetClock: z.enum(['env-step', 'update'], { error: 'must be env-step or update' }),
  lr: numberOption(0, Infinity, true),
  tau: numberOption(0, 1, true),
  backend: backendField().optional(),
  out: z.string().trim().min(1, { error: 'must be a directory path' }).optional(),
  workers: workersOption(),
});

export type TrainConfig = Omit<z.output<typeof trainSchema>, 'model' | 'out' | 'maxRolloutLength'> & { out: string; maxRolloutLength: number };

export function parseTrainOptions(raw: Record<string, unknown>): TrainConfig {
  const { model, out, maxRolloutLength, ...o } = parseOptions(trainSchema, raw);
  const maxK = maxRolloutLength ?? o.rolloutLength;
  if (maxK < o.rolloutLength) throw new OptionError(`option --max-rollout-length must be >= --rollout-length (${o.rolloutLength})`);
  if (o.rolloutTargets === 'n-step' && maxK !== o.rolloutLength) {
    throw new OptionError('option --max-rollout-length: n-step rollout targets need one fixed length; leave it out and set --rollout-length');
  }
  return { ...o, maxRolloutLength: maxK, variants: model ?? o.variants, out: out ?? join('results', `${o.algo}-${o.env}`) };
}

export interface VariantReport {
  variant: Variant;
  label: string;
  seeds: number[];
  /** Per seed, in `seeds` order: real env steps to the first eval with mean return ≥ target, or null. */
  stepsToTarget: (number | null)[];
  /** Median over seeds, a seed that never got there counting as infinitely many; null if that median is. */
  medianStepsToTarget: number | null;
  /** Per seed: the eval curve. */
  curves: { seed: number; envSteps: number[]; meanReturn: number[] }[];
  wallSeconds: number[];
  /** Per seed: DQN updates done and model transitions generated. */
  updates: number[];
  syntheticAdded: number[];
}

export interface TrainReport {
  algo: 'dyna-dqn';
  env: string;
  targetReturn: number;
  config: TrainConfig;
  variants: VariantReport[];
  /** median(plain DQN) / median(neural Dyna) steps to target, when both reached it. */
  speedup: number | null;
  /** The tfjs backend every run used, e.g. `wasm (simd, 1 thread)`. */
  backend: string;
  elapsedSeconds: number;
}

const LABELS: Record<Variant, string> = { none: 'DQN (no model)', ensemble: 'Neural Dyna (ensemble)' };

/** Median where null means "never" (+∞): null when at least half the seeds never got there. */
export function medianSteps(xs: readonly (number | null)[]): number | null {
  if (xs.length === 0) return null;
  const v = xs.map((x) => x ?? Infinity).sort((a, b) => a - b);
  const m = v.length % 2 === 1 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return Number.isFinite(m) ? m : null;
}

function jobsOf(c: TrainConfig): DynaDqnJob[] {
  return c.variants.flatMap((variant) =>
    Array.from({ length: c.seeds }, (_, seed) => ({
      variant,
      seed,
      env: c.env,
      backend: c.backend,
      maxEnvSteps: c.steps,
      evalEvery: c.evalEvery,
      evalEpisodes: c.evalEpisodes,
      targetReturn: c.target,
      stopAtTarget: c.stopAtTarget,
      gradientSteps: c.gradientSteps,
      planningUpdates: c.planningUpdates,
      realRatio: c.realRatio,
      rolloutLength: c.rolloutLength,
      maxRolloutLength: c.maxRolloutLength,
      rolloutTargets: c.rolloutTargets,
      maxDisagreement: c.maxDisagreement,
      terminationWeight: c.terminationWeight,
      targetClock: c.targetClock,
      lr: c.lr,
      tau: c.tau,
    })),
  );
}

function variantReport(variant: Variant, runs: readonly DynaDqnRun[]): VariantReport {
  const mine = runs.filter((r) => r.variant === variant);
  const steps = mine.map((r) => r.stepsToTarget);
  return {
    variant,
    label: LABELS[variant],
    seeds: mine.map((r) => r.seed),
    stepsToTarget: steps,
    medianStepsToTarget: medianSteps(steps),
    curves: mine.map((r) => ({ seed: r.seed, envSteps: r.envSteps, meanReturn: r.meanReturn })),
    wallSeconds: mine.map((r) => r.wallSeconds),
    updates: mine.map((r) => r.updates),
    syntheticAdded: mine.map((r) => r.syntheticAdded),
  };
}

/**
 * Mean eval return vs real env steps per variant, band = range (min..max) across seeds. A run stopped at the
 * target keeps its last evaluation for the rest of the x-axis (said in the subtitle).
 */
export function trainPlot(report: TrainReport): LinePlot {
  const c = report.config;
  const grid = Array.from({ length: Math.ceil(c.steps / c.evalEvery) }, (_, i) => Math.min((i + 1) * c.evalEvery, c.steps));
  const series = report.variants.map((v) => {
    const curves = v.curves.map((cv) => grid.map((x) => valueAt(cv.envSteps, cv.meanReturn, x)));
    // Band = min..max across seeds: with 2-3 seeds a t-interval is wider than the possible returns.
    const lo = grid.map((_, i) => Math.min(...curves.map((c) => c[i])));
    const hi = grid.map((_, i) => Math.max(...curves.map((c) => c[i])));
    return { label: v.label, x: grid, y: meanAcross(curves), lo, hi };
  });
  return {
    title: `Neural Dyna vs DQN on ${report.env}`,
    subtitle: `${c.seeds} seed${c.seeds === 1 ? '' : 's'} · mean and min–max across seeds · ${c.evalEpisodes} greedy eval episodes every ${c.evalEvery} steps` +
      (c.stopAtTarget ? ` · runs stop at ${c.target} (last value held)` : ''),
    xLabel: 'Real env steps',
    yLabel: 'Mean eval return',
    xDomain: [0, c.steps],
    series,
    legendOrient: 'bottom-right',
  };
}

function valueAt(xs: readonly number[], ys: readonly number[], x: number): number {
  let v = Number.NaN;
  for (let i = 0; i < xs.length && xs[i] <= x; i++) v = ys[i];
  return v;
}

export function renderTrainTable(report: TrainReport): string {
  const table = new Table({
    head: ['variant', `steps to ${report.targetReturn}, per seed`, 'median', 'final return (mean)', 'wall s (sum)'],
    style: { head: [], border: [] },
    colAligns: ['left', 'left', 'right', 'right', 'right'],
  });
  for (const v of report.variants) {
    const finals = v.curves.map((cv) => cv.meanReturn.at(-1) ?? Number.NaN);
    table.push([
      v.label,
      v.stepsToTarget.map((s) => (s === null ? 'never' : String(s))).join(', '),
      v.medianStepsToTarget === null ? 'never' : String(v.medianStepsToTarget),
      (finals.reduce((a, b) => a + b, 0) / Math.max(1, finals.length)).toFixed(1),
      v.wallSeconds.reduce((a, b) => a + b, 0).toFixed(1),
    ]);
  }
  return table.toString();
}

export async function runTrain(config: TrainConfig, io: CliIO): Promise<{ report: TrainReport; plot: WrittenPlot; reportPath: string }> {
  const jobs = jobsOf(config);
  // Worker threads choose their backend the same way; this process's choice is the one reported.
  const backend = await startBackend(config.backend);
  io.stderr(`backend: ${backend}\n`);
  const progress = createProgress(jobs.length * config.steps, {
    stream: io.progressStream ?? undefined,
    enabled: io.progressStream === null ? false : undefined,
    label: `${config.env} ${config.algo}`,
    unit: 'env steps',
  });
  const t0 = performance.now();
  let runs: DynaDqnRun[];
  try {
    runs = await runDynaDqnJobs(jobs, config.workers, (n) => progress.tick(n));
  } finally {
    progress.stop();
  }
  const variants = config.variants.map((v) => variantReport(v, runs));
  const none = variants.find((v) => v.variant === 'none')?.medianStepsToTarget ?? null;
  const dyna = variants.find((v) => v.variant === 'ensemble')?.medianStepsToTarget ?? null;
  const report: TrainReport = {
    algo: config.algo,
    env: config.env,
    targetReturn: config.target,
    config,
    variants,
    speedup: none !== null && dyna !== null ? none / dyna : null,
    backend,
    elapsedSeconds: (performance.now() - t0) / 1000,
  };
  await mkdir(config.out, { recursive: true });
  const reportPath = join(config.out, 'report.json');
  await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  const plot = await writeLinePlot(trainPlot(report), join(config.out, 'eval_return'));
  io.stdout(`${config.algo} on ${config.env}: ${config.variants.join(' vs ')} · ${config.seeds} seeds · ${config.steps} real env steps each\n`);
  io.stdout(`${renderTrainTable(report)}\n`);
  if (report.speedup !== null) io.stdout(`median steps to ${config.target}: DQN / Dyna = ${report.speedup.toFixed(2)}x\n`);
  io.stdout(`${runs.length} runs in ${report.elapsedSeconds.toFixed(1)} s wall\nwrote ${reportPath}, ${plot.pngPath}, ${plot.svgPath}\n`);
  return { report, plot, reportPath };
}

/** trainDynaDQN's own defaults, so the flags' defaults cannot drift from the library's. */
const DYNA = resolveDynaOptions({ model: 'ensemble', maxEnvSteps: 1 });
const DQN_TAU = DYNA.target.kind === 'polyak' ? DYNA.target.tau : 0.01;

export function trainCommand(io: CliIO): Command {
  return new Command('train')
    .summary('train an agent; --algo dyna-dqn compares neural Dyna with plain DQN')
    .description(
      'Trains DQN (double DQN, target network, Huber loss) on CartPole-v1 with --model none, and the same DQN also ' +
        'learning from MBPO-style branched rollouts of a probabilistic ensemble with --model ensemble, over several ' +
        'seeds. Writes OUT/report.json (per variant: real env steps to reach --target per seed and their median, and ' +
        'the eval curves) and OUT/eval_return.{png,svg}, and prints a summary table.',
    )
    .option('--algo <name>', `algorithm: ${ALGOS.join(', ')}`, 'dyna-dqn')
    .option('--env <id>', 'environment', 'CartPole-v1')
    .option('--model <list>', 'world model(s) to run, a shorthand for --variants: none, ensemble')
    .option('--variants <list>', 'comma-separated variants to compare', 'none,ensemble')
    .option('--seeds <n>', 'runs per variant, seeded 0..n-1', '3')
    .option('--steps <n>', 'real env steps per run', '50000')
    .option('--eval-every <n>', 'evaluate the greedy policy every n real env steps', '1000')
    .option('--eval-episodes <n>', 'episodes per evaluation', '5')
    .option('--target <x>', 'mean eval return that counts as solved', '475')
    .option('--stop-at-target', 'stop a run at its first evaluation that reaches --target', false)
    .option('--gradient-steps <n>', 'DQN updates per real env step (both variants)', String(DYNA.gradientSteps))
    .option('--planning-updates <n>', 'extra DQN updates per real env step once model data exists (Dyna planning; none for --model none)', String(DYNA.planningUpdates))
    .option('--real-ratio <x>', 'fraction of each minibatch from real data once synthetic data exists, in [0, 1]', String(DYNA.realRatio))
    .option('--rollout-length <k>', 'model rollout length (at the start, with --max-rollout-length)', String(DYNA.rolloutLength.end))
    .option('--max-rollout-length <k>', 'rollout length reached at half the budget (linear growth; default: --rollout-length)')
    .option('--rollout-targets <kind>', 'what a rollout stores: n-step (one k-step return per row, bootstrapped with gamma^k) or one-step (every imagined step, mixed by --real-ratio)', DYNA.rolloutTargets)
    .option('--max-disagreement <x>', 'cut a rollout once ensemble disagreement (normalised variance) exceeds this', String(DYNA.maxDisagreement))
    .option('--termination-weight <w>', "weight of the termination cross-entropy in the ensemble's loss (at 1 it hardly learns when the pole falls, which n-step returns need)", String(DYNA.modelTerminationWeight))
    .option('--target-clock <clock>', 'target-network Polyak step once per training env step (env-step) or after every update (update)', DYNA.targetClock)
    .option('--lr <x>', "the DQN's Adam learning rate (both variants)", String(DYNA.lr))
    .option('--tau <x>', "Polyak rate of the DQN's target network per --target-clock tick (both variants)", String(DQN_TAU))
    .option('--backend <name>', `tfjs backend: ${BACKEND_CHOICES.join(', ')} (default: REVERIE_BACKEND, else auto)`)
    .option('--out <dir>', 'output directory (default: results/<algo>-<env>)')
    .option('--workers <n|auto>', "runs in parallel on worker threads ('auto' = one per core)", 'auto')
    .action(async (raw: Record<string, unknown>) => {
      await runTrain(parseTrainOptions(raw), io);
    });
}
