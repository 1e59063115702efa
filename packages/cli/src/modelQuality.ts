/**
 * How good is a learned world model? Distribution comparison of real vs synthetic next states, held-out
 * one-step error, and the compounding error of open-loop rollouts against the real env. Pure measurement:
 * no I/O, no printing.
 */
import type { TransitionReplay } from '@reverie/core';
import { npRandom } from '@reverie/core';
import { type Env, make } from '@reverie/envs';
import type { WorldModel } from '@reverie/models';
import type { StepOutputs } from '@reverie/planning';
import { dynamicsFor } from './learned.js';
import { histogram, ksStatistic, meanStd, wasserstein1 } from './stats.js';
import type { LinePlot, PlotSeries } from './plot.js';

const CHUNK = 4096;

export interface DimensionComparison {
  dimension: string;
  realMean: number;
  realStd: number;
  syntheticMean: number;
  syntheticStd: number;
  wasserstein1: number;
  ks: number;
}

/** The model's next state for every (obs, action) of `replay` ([size × stateSize]), predicted in chunks. */
export function synthesize(model: WorldModel, replay: TransitionReplay, env: Env): Float32Array {
  const S = replay.obsSize;
  const A = replay.actionSize;
  const n = replay.size;
  const dyn = dynamicsFor(model, env);
  const out = new Float32Array(n * S);
  for (let start = 0; start < n; start += CHUNK) {
    const b = Math.min(CHUNK, n - start);
    const buffers = outputs(b, S, out.subarray(start * S, (start + b) * S));
    dyn.step(replay.obs.subarray(start * S, (start + b) * S), replay.actions.subarray(start * A, (start + b) * A), b, buffers);
  }
  return out;
}

function outputs(batch: number, S: number, nextStates = new Float32Array(batch * S)): StepOutputs {
  return { nextStates, rewards: new Float64Array(batch), done: new Float64Array(batch) };
}

/** Column k of a row-major [n × width] array. */
export function column(data: Float32Array, width: number, k: number, n = data.length / width): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = data[i * width + k];
  return out;
}

/** Per state dimension: real vs synthetic next-state moments, W1 and KS. */
export function compareDistributions(real: Float32Array, synthetic: Float32Array, names: readonly string[]): DimensionComparison[] {
  const S = names.length;
  return names.map((dimension, k) => {
    const r = column(real, S, k);
    const s = column(synthetic, S, k);
    const rm = meanStd(r);
    const sm = meanStd(s);
    return {
      dimension,
      realMean: rm.mean,
      realStd: rm.std,
      syntheticMean: sm.mean,
      syntheticStd: sm.std,
      wasserstein1: wasserstein1(r, s),
      ks: ksStatistic(r, s),
    };
  });
}

export interface OneStepError {
  /** Root-mean-square error of the predicted next state, per dimension, raw units. */
  stateRmse: number[];
  /** Mean over dimensions of RMSE / std of the real state change: 1 is no better than predicting the mean change. */
  normalisedStateError: number;
  rewardRmse: number;
  /** Share of transitions whose termination the model gets right (done probability thresholded at 0.5). */
  terminationAccuracy: number;
}

/** One-step error on transitions the model was not trained on. */
export function oneStepError(model: WorldModel, test: TransitionReplay, env: Env): OneStepError {
  const S = test.obsSize;
  const n = test.size;
  const dyn = dynamicsFor(model, env);
  const sq = new Float64Array(S);
  const delta = new Float64Array(n);
  let rewardSq = 0;
  let correct = 0;
  const A = test.actionSize;
  for (let start = 0; start < n; start += CHUNK) {
    const b = Math.min(CHUNK, n - start);
    const o = outputs(b, S);
    dyn.step(test.obs.subarray(start * S, (start + b) * S), test.actions.subarray(start * A, (start + b) * A), b, o);
    for (let r = 0; r < b; r++) {
      const i = start + r;
      for (let k = 0; k < S; k++) sq[k] += (o.nextStates[r * S + k] - test.nextObs[i * S + k]) ** 2;
      rewardSq += (o.rewards[r] - test.rewards[i]) ** 2;
      if (o.done[r] >= 0.5 === (test.terminated[i] === 1)) correct++;
    }
  }
  const stateRmse = Array.from(sq, (v) => Math.sqrt(v / n));
  let normalised = 0;
  for (let k = 0; k < S; k++) {
    for (let i = 0; i < n; i++) delta[i] = test.nextObs[i * S + k] - test.obs[i * S + k];
    normalised += stateRmse[k] / Math.max(meanStd(delta).std, 1e-8) / S;
  }
  return { stateRmse, normalisedStateError: normalised, rewardRmse: Math.sqrt(rewardSq / n), terminationAccuracy: correct / n };
}

/** Real open-loop trajectories: start observations, action sequences, observations after each step, alive masks. */
export interface RealRollouts {
  count: number;
  horizon: number;
  stateSize: number;
  actionSize: number;
  starts: Float32Array;
  /** [count × horizon × actionSize] */
  actions: Float32Array;
  /** [count × horizon × stateSize]: the observation after step t (t = 0..horizon-1). */
  observations: Float32Array;
  /** [count × horizon]: 1 while the real episode has not ended by step t (the error is only measured there). */
  alive: Uint8Array;
}

/**
 * `count` real episodes from reset (seed + k) under uniformly random actions (the action space seeded with
 * `seed`), recorded for `horizon` steps or until they end.
 */
export function realRollouts(envId: string, count: number, horizon: number, seed: number): RealRollouts {
  const env = make(envId);
  const S = env.observationSpace.flatSize;
  const A = env.actionSpace.flatSize;
  env.actionSpace.seed(seed);
  const r: RealRollouts = {
    count,
    horizon,
    stateSize: S,
    actionSize: A,
    starts: new Float32Array(count * S),
    actions: new Float32Array(count * horizon * A),
    observations: new Float32Array(count * horizon * S),
    alive: new Uint8Array(count * horizon),
  };
  for (let k = 0; k < count; k++) {
    env.reset({ seed: seed + k });
    env.writeObservation(r.starts, k * S);
    let ended = false;
    for (let t = 0; t < horizon; t++) {
      const a = env.actionSpace.sample();
      const at = (k * horizon + t) * A;
      if (typeof a === 'number') r.actions[at] = a;
      else r.actions.set(a as Float32Array, at);
      if (ended) continue; // keep drawing so every rollout's actions come from the same stream position
      const step = env.step(a);
      env.writeObservation(r.observations, (k * horizon + t) * S);
      r.alive[k * horizon + t] = 1;
      ended = step.terminated || step.truncated;
    }
  }
  return r;
}

/**
 * Normalised open-loop error per horizon h = 1..H: the model starts from the real start observation and is fed
 * the same actions, never corrected. Error at h = sqrt(mean over live rollouts and dimensions of
 * ((model − real) / σ_k)²), σ_k the real states' std per dimension. NaN once no rollout is alive.
 */
export function compoundingError(model: WorldModel, real: RealRollouts, env: Env, stateStd: ArrayLike<number>): number[] {
  const { count: K, horizon: H, stateSize: S, actionSize: A } = real;
  const dyn = dynamicsFor(model, env);
  let cur: Float32Array = real.starts.slice();
  const actions = new Float32Array(K * A);
  const errors: number[] = [];
  for (let t = 0; t < H; t++) {
    for (let k = 0; k < K; k++) actions.set(real.actions.subarray((k * H + t) * A, (k * H + t + 1) * A), k * A);
    const o = outputs(K, S);
    dyn.step(cur, actions, K, o);
    cur = o.nextStates;
    let sum = 0;
    let live = 0;
    for (let k = 0; k < K; k++) {
      if (real.alive[k * H + t] === 0) continue;
      live++;
      for (let d = 0; d < S; d++) {
        const e = (cur[k * S + d] - real.observations[(k * H + t) * S + d]) / Math.max(stateStd[d], 1e-8);
        // A diverged model rollout counts as a very large (finite) error, so the curve stays plottable.
        sum += Number.isFinite(e) ? e * e : 1e12;
      }
    }
    errors.push(live === 0 ? Number.NaN : Math.sqrt(sum / (live * S)));
  }
  return errors;
}

/** Live rollouts per horizon (how many real episodes the error at h averages). */
export function aliveCounts(real: RealRollouts): number[] {
  const out = new Array<number>(real.horizon).fill(0);
  for (let k = 0; k < real.count; k++) for (let t = 0; t < real.horizon; t++) out[t] += real.alive[k * real.horizon + t];
  return out;
}

/** Per-dimension std of the real observations in a replay (the compounding error's units). */
export function stateStds(replay: TransitionReplay): number[] {
  return Array.from({ length: replay.obsSize }, (_, k) => meanStd(column(replay.obs, replay.obsSize, k, replay.size)).std);
}

/** Overlaid step histograms (density) of one state dimension: real and one line per model. */
export function histogramPlot(env: string, dimension: string, samples: { label: string; values: Float64Array }[], bins = 40): LinePlot {
  let lo = Infinity;
  let hi = -Infinity;
  // Range from the real data's 0.5–99.5 percentiles, so one diverged prediction does not squash the plot.
  const real = Float64Array.from(samples[0].values).sort();
  lo = real[Math.floor(0.005 * (real.length - 1))];
  hi = real[Math.ceil(0.995 * (real.length - 1))];
  if (!(hi > lo)) hi = lo + 1;
  const series: PlotSeries[] = samples.map(({ label, values }) => {
    const h = histogram(values, lo, hi, bins);
    const x: number[] = [];
    const y: number[] = [];
    // A staircase through the bin edges draws the histogram outline with a plain line mark.
    h.density.forEach((d, i) => {
      x.push(h.edges[i], h.edges[i + 1]);
      y.push(d, d);
    });
    return { label, x, y };
  });
  return {
    title: `Next-state distribution: ${dimension}`,
    subtitle: `${env} · real vs model-generated transitions from the same (state, action) pairs`,
    xLabel: dimension,
    yLabel: 'density',
    series,
    legendOrient: 'top-right',
  };
}

/** Compounding error vs horizon, one line per model. */
export function compoundingPlot(env: string, curves: { label: string; errors: number[] }[], rollouts: number): LinePlot {
  const H = curves[0]?.errors.length ?? 1;
  return {
    title: 'Compounding model error (open-loop rollouts)',
    subtitle: `${env} · ${rollouts} random-action rollouts from reset states · error in real-state stds`,
    xLabel: 'Rollout horizon (steps)',
    yLabel: 'Normalised RMSE vs real env',
    xDomain: [1, H],
    xIntegerTicks: true,
    series: curves.map((c) => ({ label: c.label, x: c.errors.map((_, i) => i + 1), y: c.errors })),
    legendOrient: 'top-left',
  };
}
