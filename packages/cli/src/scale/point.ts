/**
 * One point of a sweep (actors × envs per actor) and the figures it yields, computed from the
 * counters' increase over its measurement window. The same arithmetic serves local and cluster runs.
 */
import { histogramMean, histogramQuantile } from './histogram.js';
import type { WindowIncrease } from './metrics.js';

export interface ScalePoint {
  actors: number;
  envsPerActor: number;
}

/** `a4-e64`: a point's name in file and folder names. */
export function pointName(p: ScalePoint): string {
  return `a${p.actors}-e${p.envsPerActor}`;
}

/** `4 actors × 64 envs`: a point in messages. */
export function pointLabel(p: ScalePoint): string {
  return `${p.actors} actor${p.actors === 1 ? '' : 's'} × ${p.envsPerActor} envs`;
}

/** A point that could not be measured; the message says which process or step failed and why. */
export class ScalePointError extends Error {
  override name = 'ScalePointError';
  constructor(
    readonly point: ScalePoint,
    readonly reason: string,
  ) {
    super(`point ${pointLabel(point)}: ${reason}`);
  }
}

/** A figure that may be missing: null when the window held nothing to compute it from. */
export type Figure = number | null;

export interface PointResult extends ScalePoint {
  windowSeconds: number;
  /** Env steps the actors took per second, all actors together. */
  envStepsPerSecond: number;
  envStepsPerSecondPerActor: number;
  /** Each actor's own rate (cluster: each pod's, in no particular order). */
  actorStepsPerSecond: number[];
  /** throughput(n) / (n × throughput(n0)) at the same envs per actor; n0 the sweep's smallest actor count. */
  scalingEfficiency: Figure;
  learnerUpdatesPerSecond: number;
  /** Env steps the learner stored per second (duplicates excluded). */
  ingestStepsPerSecond: number;
  versionsPerSecond: number;
  /** Policy lag in versions, per chunk on arrival at the learner (newest published − the version that acted). */
  policyLagMean: Figure;
  policyLagP95: Figure;
  /** Model-server: publish received → announced over NATS. */
  broadcastMeanMs: Figure;
  broadcastP95Ms: Figure;
  /** Actor: version created → acting with it (the whole path learner → model-server → NATS → actor). */
  weightsApplyMeanMs: Figure;
  weightsApplyP95Ms: Figure;
  /** CPU time the actor processes spent per env step (all threads), in microseconds. */
  actorCpuMicrosPerStep: Figure;
  /** Cores' worth of CPU the learner used during the window. */
  learnerCpuCores: number;
  weightsBytes: number;
  /** 1-minute load average when the point started (local runs; null on a cluster). */
  loadAverage1m: Figure;
  /** Unexpected events (an actor that did not start or exited), and how each process stopped. */
  notes: string[];
}

function figure(x: number, scale = 1): Figure {
  return Number.isFinite(x) ? x * scale : null;
}

/** Divides, giving 0 for an empty window rather than NaN (rates are 0 when nothing happened). */
function rate(count: number, seconds: number): number {
  return seconds > 0 ? count / seconds : 0;
}

/** The figures of one point; `scalingEfficiency` is left null until the whole sweep is known. */
export function pointResult(point: ScalePoint, w: WindowIncrease, extra: { loadAverage1m: Figure; notes: string[] }): PointResult {
  const totalSteps = w.actorSteps.reduce((a, b) => a + b, 0);
  const envStepsPerSecond = rate(totalSteps, w.seconds);
  return {
    ...point,
    windowSeconds: w.seconds,
    envStepsPerSecond,
    envStepsPerSecondPerActor: envStepsPerSecond / Math.max(1, w.actorSteps.length),
    actorStepsPerSecond: w.actorSteps.map((s) => rate(s, w.seconds)),
    scalingEfficiency: null,
    learnerUpdatesPerSecond: rate(w.learnerUpdates, w.seconds),
    ingestStepsPerSecond: rate(w.learnerSteps, w.seconds),
    versionsPerSecond: rate(w.publishes, w.seconds),
    policyLagMean: figure(histogramMean(w.policyLag)),
    policyLagP95: figure(histogramQuantile(w.policyLag, 0.95)),
    broadcastMeanMs: figure(histogramMean(w.broadcast), 1000),
    broadcastP95Ms: figure(histogramQuantile(w.broadcast, 0.95), 1000),
    weightsApplyMeanMs: figure(histogramMean(w.weightsApply), 1000),
    weightsApplyP95Ms: figure(histogramQuantile(w.weightsApply, 0.95), 1000),
    actorCpuMicrosPerStep: totalSteps > 0 ? (w.actorCpuSeconds / totalSteps) * 1e6 : null,
    learnerCpuCores: rate(w.learnerCpuSeconds, w.seconds),
    weightsBytes: w.weightsBytes,
    loadAverage1m: extra.loadAverage1m,
    notes: extra.notes,
  };
}

/**
 * Fills in scaling efficiency: per envs-per-actor value, each point's per-actor throughput over that of
 * the point with the fewest actors (with 1 actor: throughput(n) / (n × throughput(1))).
 */
export function withScalingEfficiency(results: readonly PointResult[]): PointResult[] {
  return results.map((r) => {
    const group = results.filter((o) => o.envsPerActor === r.envsPerActor);
    const base = group.reduce((a, b) => (b.actors < a.actors ? b : a));
    const basePerActor = base.envStepsPerSecond / base.actors;
    const eff = basePerActor > 0 ? r.envStepsPerSecond / (r.actors * basePerActor) : null;
    return { ...r, scalingEfficiency: eff };
  });
}
