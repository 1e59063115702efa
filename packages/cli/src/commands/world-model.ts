import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { make } from '@reverie/envs';
import { saveWorldModel, type TrainResult, type WorldModel } from '@reverie/models';
import { BACKEND_CHOICES } from '@reverie/nn';
import Table from 'cli-table3';
import { Command } from 'commander';
import { z } from 'zod';
import type { CliIO } from '../io.js';
import { backendField, startBackend } from '../backend.js';
import { collectRandom, MODEL_ENVS, type ModelEnvId, type ModelKind, modelEnvField, STATE_NAMES, trainModel } from '../learned.js';
import {
  aliveCounts,
  column,
  compareDistributions,
  compoundingError,
  compoundingPlot,
  type DimensionComparison,
  histogramPlot,
  type OneStepError,
  oneStepError,
  realRollouts,
  stateStds,
  synthesize,
} from '../modelQuality.js';
import { intOption, numberOption, parseOptions } from '../options.js';
import { writeLinePlot } from '../plot.js';
import { createProgress } from '../progress.js';

export const worldModelSchema = z.object({
  env: modelEnvField(),
  transitions: intOption(10),
  steps: intOption(1),
  hidden: intOption(1),
  members: intOption(2),
  batchSize: intOption(1),
  lr: numberOption(0, 1, true),
  horizon: intOption(1),
  rollouts: intOption(1),
  seed: intOption(0),
  terminationWeight: numberOption(0, Infinity, true).optional(),
  backend: backendField().optional(),
  out: z.string().trim().min(1, { error: 'must be a directory path' }).optional(),
});

export type WorldModelConfig = Omit<z.output<typeof worldModelSchema>, 'out'> & { out: string };

export function parseWorldModelOptions(raw: Record<string, unknown>): WorldModelConfig {
  const o = parseOptions(worldModelSchema, raw);
  return { ...o, out: o.out ?? join('results', `world-model-${o.env}`) };
}

const KINDS: readonly ModelKind[] = ['deterministic', 'ensemble'];

/** Everything `report.json` holds, under plain names. */
export interface WorldModelReport {
  env: ModelEnvId;
  seed: number;
  transitions: number;
  heldOutTransitions: number;
  backend: string;
  training: Record<ModelKind, { steps: number; stoppedEarly: boolean; seconds: number; samplesPerSecond: number; heldOutLoss: number[] | null; elites: number[] | null }>;
  oneStep: Record<ModelKind, OneStepError>;
  distribution: Record<ModelKind, DimensionComparison[]>;
  compounding: { horizons: number[]; rollouts: number; aliveRollouts: number[] } & Record<ModelKind, number[]>;
  files: Record<string, string>;
  elapsedSeconds: number;
}

function trainingSummary(r: TrainResult): WorldModelReport['training'][ModelKind] {
  return { steps: r.stepsRun, stoppedEarly: r.stoppedEarly, seconds: r.seconds, samplesPerSecond: r.samplesPerSecond, heldOutLoss: r.memberHeldOutLoss, elites: r.elites };
}

/** Collects data, trains both models, measures them, and writes report.json, plots and weights into `config.out`. */
export async function runWorldModel(config: WorldModelConfig, io: CliIO): Promise<WorldModelReport> {
  const t0 = performance.now();
  const backend = await startBackend(config.backend);
  io.stderr(`backend: ${backend}\n`);
  const env = make(config.env);
  const heldOut = Math.max(100, Math.floor(config.transitions / 10));
  const progress = createProgress(config.transitions + heldOut + 2 * config.steps, {
    stream: io.progressStream ?? undefined,
    enabled: io.progressStream === null ? false : undefined,
    label: `${config.env} world-model`,
    unit: 'transitions + training steps',
  });
  const models: Partial<Record<ModelKind, WorldModel>> = {};
  try {
    const replay = collectRandom(config.env, config.transitions, config.seed, () => progress.tick());
    // Held-out transitions come from other episodes (other seeds), so the one-step error is out of sample.
    const test = collectRandom(config.env, heldOut, config.seed + 1_000_000, () => progress.tick());
    const t = { hidden: config.hidden, steps: config.steps, batchSize: config.batchSize, lr: config.lr, members: config.members, seed: config.seed, terminationWeight: config.terminationWeight };
    const training: Partial<WorldModelReport['training']> = {};
    for (const kind of KINDS) {
      const { model, result } = await trainModel(env, kind, replay, t, (n) => progress.tick(n));
      models[kind] = model;
      training[kind] = trainingSummary(result);
    }
    progress.stop();
    const trained = models as Record<ModelKind, WorldModel>;
    const report = await measureAndWrite(config, env, replay, test, trained, training as WorldModelReport['training'], backend);
    report.elapsedSeconds = (performance.now() - t0) / 1000;
    await writeFile(join(config.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    printSummary(report, io);
    return report;
  } finally {
    progress.stop();
    for (const m of Object.values(models)) m.dispose();
  }
}

async function measureAndWrite(
  config: WorldModelConfig,
  env: ReturnType<typeof make>,
  replay: ReturnType<typeof collectRandom>,
  test: ReturnType<typeof collectRandom>,
  models: Record<ModelKind, WorldModel>,
  training: WorldModelReport['training'],
  backend: string,
): Promise<WorldModelReport> {
  const names = STATE_NAMES[config.env];
  const S = names.length;
  const real = replay.nextObs.subarray(0, replay.size * S);
  const synthetic = { deterministic: synthesize(models.deterministic, replay, env), ensemble: synthesize(models.ensemble, replay, env) };
  const rollouts = realRollouts(config.env, config.rollouts, config.horizon, config.seed + 2_000_000);
  const stds = stateStds(replay);
  await mkdir(config.out, { recursive: true });
  const files: Record<string, string> = {};
  for (const kind of KINDS) {
    const path = join(config.out, `${kind}.safetensors`);
    await writeFile(path, saveWorldModel(models[kind], { env: config.env }));
    files[`${kind}Weights`] = path;
  }
  for (let k = 0; k < S; k++) {
    const plot = histogramPlot(config.env, names[k], [
      { label: 'real', values: column(real, S, k) },
      { label: 'deterministic model', values: column(synthetic.deterministic, S, k) },
      { label: 'ensemble model', values: column(synthetic.ensemble, S, k) },
    ]);
    const slug = names[k].replace(/\s+/g, '_');
    const w = await writeLinePlot(plot, join(config.out, `histogram_${slug}`));
    files[`histogram_${slug}`] = w.pngPath;
  }
  const curves = { deterministic: compoundingError(models.deterministic, rollouts, env, stds), ensemble: compoundingError(models.ensemble, rollouts, env, stds) };
  const cplot = compoundingPlot(config.env, [
    { label: 'deterministic', errors: curves.deterministic },
    { label: 'ensemble (elite mean)', errors: curves.ensemble },
  ], config.rollouts);
  files.compoundingError = (await writeLinePlot(cplot, join(config.out, 'compounding_error'))).pngPath;
  return {
    env: config.env,
    seed: config.seed,
    transitions: config.transitions,
    heldOutTransitions: test.size,
    backend,
    training,
    oneStep: { deterministic: oneStepError(models.deterministic, test, env), ensemble: oneStepError(models.ensemble, test, env) },
    distribution: { deterministic: compareDistributions(real, synthetic.deterministic, names), ensemble: compareDistributions(real, synthetic.ensemble, names) },
    compounding: { horizons: curves.deterministic.map((_, i) => i + 1), rollouts: config.rollouts, aliveRollouts: aliveCounts(rollouts), ...curves },
    files,
    elapsedSeconds: 0,
  };
}

const fmt = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : '–');

function printSummary(r: WorldModelReport, io: CliIO): void {
  io.stdout(`World models on ${r.env}: ${r.transitions} random transitions, held-out ${r.heldOutTransitions}, backend ${r.backend}\n`);
  const dist = new Table({ head: ['dimension', 'real mean ± std', 'det. mean ± std', 'det. W1', 'det. KS', 'ens. mean ± std', 'ens. W1', 'ens. KS'], style: { head: [], border: [] } });
  r.distribution.deterministic.forEach((d, k) => {
    const e = r.distribution.ensemble[k];
    dist.push([d.dimension, `${fmt(d.realMean)} ± ${fmt(d.realStd)}`, `${fmt(d.syntheticMean)} ± ${fmt(d.syntheticStd)}`, fmt(d.wasserstein1), fmt(d.ks), `${fmt(e.syntheticMean)} ± ${fmt(e.syntheticStd)}`, fmt(e.wasserstein1), fmt(e.ks)]);
  });
  io.stdout(`${dist.toString()}\n`);
  const H = r.compounding.horizons.length;
  const marks = [...new Set([1, 5, 10, 25, H].filter((h) => h <= H))];
  const quality = new Table({
    head: ['model', 'train s', 'one-step error (norm.)', ...marks.map((h) => `rollout err h=${h}`)],
    style: { head: [], border: [] },
  });
  for (const kind of KINDS) {
    quality.push([kind, r.training[kind].seconds.toFixed(1), fmt(r.oneStep[kind].normalisedStateError), ...marks.map((h) => fmt(r.compounding[kind][h - 1], 3))]);
  }
  io.stdout(`${quality.toString()}\n`);
  io.stdout(`(rollout errors average the ${marks.map((h) => r.compounding.aliveRollouts[h - 1]).join('/')} of ${r.compounding.rollouts} real episodes still running at those horizons)\n`);
  io.stdout(`wrote ${Object.values(r.files).join(', ')} and report.json in ${r.elapsedSeconds.toFixed(1)} s\n`);
}

export function worldModelCommand(io: CliIO): Command {
  return new Command('world-model')
    .summary('train a deterministic model and an ensemble, and measure how good they are')
    .description(
      'Collects random-policy transitions, trains a deterministic MLP world model and a PETS-style ensemble, ' +
        'then compares real and model-generated next states per dimension (mean, std, Wasserstein-1, KS; ' +
        'histograms), the held-out one-step error, and the compounding error of open-loop rollouts vs the real ' +
        'env. Writes OUT/report.json, OUT/histogram_*.{png,svg}, OUT/compounding_error.{png,svg} and the weights ' +
        'OUT/{deterministic,ensemble}.safetensors (usable by `reverie plan --weights`).',
    )
    .option('--env <id>', `environment: ${MODEL_ENVS.join(', ')}`, 'CartPole-v1')
    .option('--transitions <n>', 'random-policy transitions to train on (and to generate)', '10000')
    .option('--steps <n>', 'training steps (minibatches) per model; early stopping may end sooner', '1000')
    .option('--hidden <n>', 'units per hidden layer (2 layers)', '200')
    .option('--members <n>', 'ensemble members', '5')
    .option('--batch-size <n>', 'minibatch size per member', '256')
    .option('--lr <x>', 'Adam learning rate', '0.001')
    .option('--horizon <n>', 'longest open-loop rollout for the compounding-error curve', '50')
    .option('--rollouts <n>', 'open-loop rollouts (real episodes) for the compounding-error curve', '1000')
    .option('--termination-weight <x>', 'weight of the termination loss in training (default: 100 for the ensemble, 1 for the deterministic model)')
    .option('--seed <n>', 'seeds data collection, network initialisation and training', '0')
    .option('--backend <name>', `tfjs backend: ${BACKEND_CHOICES.join(', ')} (default: REVERIE_BACKEND, else auto)`)
    .option('--out <dir>', 'output directory (default: results/world-model-<env>)')
    .action(async (raw: Record<string, unknown>) => {
      await runWorldModel(parseWorldModelOptions(raw), io);
    });
}
