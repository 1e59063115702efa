/**
 * A throughput model for a cluster, fitted to measured points. It works in CPU time, which a crowded
 * machine inflates far less than wall time, and in the best per-actor rate measured. An actor pod steps
 * at that rate or at what its CPU allows, whichever is lower; the learner's CPU is α · ingested steps +
 * β · updates (fitted), and its ingest and training share one thread, so training gets what ingest
 * leaves; the network carries every env step to the learner once. Throughput is the smallest ceiling.
 */
import { Box, make } from '@reverie/envs';
import type { PointResult } from './point.js';

export interface ClusterAssumptions {
  /** CPUs each actor pod has (the scale Job's request = limit). */
  actorCores: number;
  /** Cores the learner's ingest and training can use; null: the most it used at any measured point. */
  learnerCores: number | null;
  /** Link speed into the learner, in Gbit/s. */
  networkGbps: number;
}

export const DEFAULT_ASSUMPTIONS: ClusterAssumptions = { actorCores: 1, learnerCores: null, networkGbps: 1 };

/** The assumptions in words, for the report and the README. */
export function assumptionText(a: ClusterAssumptions, learnerCores: number): string[] {
  const learner = a.learnerCores === null ? `${learnerCores.toFixed(2)} core(s), the most it used at any point measured here` : `${learnerCores} core(s)`;
  return [
    `each actor pod has ${a.actorCores} CPU to itself (the scale Job's request = limit) and steps at the best per-actor rate measured here at the same envs per actor, or at ${a.actorCores} core(s) / its CPU time per env step if that is lower (an actor that waits on its worker threads and on inference is not CPU-bound)`,
    `the learner's ingest and training share ${learner}: Node's main thread runs both, so more CPUs in its pod do not help; training takes what ingest leaves, at the CPU cost per update fitted here`,
    'the learner ceiling is the rate at which ingest alone fills those cores: training has stopped there (updates/s 0), so useful throughput is lower',
    `the network into the learner carries ${a.networkGbps} Gbit/s of trajectory payload (protobuf and HTTP/2 framing ignored); NATS, the model-server and Prometheus are never the bottleneck`,
    'CPU time per env step and per update stay as measured here whatever the number of actors (no contention on a cluster node beyond what this machine had)',
  ];
}

export interface FittedCosts {
  /** Per envs-per-actor value: median actor CPU microseconds per env step over the measured points. */
  actorCpuMicrosPerStep: Record<string, number>;
  /** Per envs-per-actor value: the smallest and largest measured value (how much contention moved it). */
  actorCpuMicrosRange: Record<string, [number, number]>;
  /** Per envs-per-actor value: the best env-steps/s one actor reached at any measured point. */
  bestPerActorStepsPerSecond: Record<string, number>;
  /** The most CPU the learner used at any measured point, in cores. */
  learnerMaxCores: number;
  /** Learner CPU microseconds per ingested env step (α) and per update (β). */
  learnerMicrosPerIngestedStep: number;
  learnerMicrosPerUpdate: number;
  /** How α and β were obtained, in words. */
  learnerFit: string;
  /** Published versions per update (the learner's publish interval), median over the points. */
  versionsPerUpdate: number;
  /** Bytes one env step costs on the wire to the learner (observation, next observation, action, reward, flags). */
  bytesPerStep: number;
  weightsBytes: number;
}

export interface Prediction {
  envsPerActor: number;
  actors: number;
  envStepsPerSecond: number;
  bottleneck: 'actors' | 'learner' | 'network';
  /** Updates/s the learner has time for beside that ingest; null when the fit could not separate the costs. */
  learnerUpdatesPerSecond: number | null;
  /** Weight broadcast traffic (every version to every actor), in MB/s; null with no update rate. */
  broadcastMBps: number | null;
}

export interface ClusterModel {
  assumptions: ClusterAssumptions;
  /** The learner cores the model used (the assumption, or the measured maximum). */
  learnerCores: number;
  assumptionText: string[];
  costs: FittedCosts;
  /** Env steps/s one actor pod reaches, per envs-per-actor value. */
  perActorStepsPerSecond: Record<string, number>;
  /** Env steps/s at which ingest alone fills the learner's cores. */
  learnerIngestCeiling: number;
  networkCeiling: number;
  predictions: Prediction[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wire bytes of one env step in a TrajectoryChunk: float32 observation twice, the action, float32 reward, 2 bool flags. */
export function bytesPerEnvStep(envId: string): number {
  const env = make(envId);
  const size = (space: unknown): number => (space instanceof Box ? 4 * space.flatSize : 4);
  return 2 * size(env.observationSpace) + size(env.actionSpace) + 4 + 2;
}

type LearnerPoint = Pick<PointResult, 'learnerCpuCores' | 'ingestStepsPerSecond' | 'learnerUpdatesPerSecond'>;

/**
 * Least squares of cpu = α·ingest + β·updates (no intercept: an idle learner costs ~nothing) over the
 * points; when the data cannot separate the two (singular, or a coefficient ≤ 0), all CPU is charged
 * to ingest, which gives a conservative (low) learner ceiling and no update rate.
 */
export function fitLearnerCosts(points: readonly LearnerPoint[]): { alpha: number; beta: number; how: string } {
  const usable = points.filter((p) => p.ingestStepsPerSecond > 0 && Number.isFinite(p.learnerCpuCores));
  let sxx = 0, sxy = 0, syy = 0, sxc = 0, syc = 0;
  for (const p of usable) {
    const x = p.ingestStepsPerSecond, y = p.learnerUpdatesPerSecond, c = p.learnerCpuCores;
    sxx += x * x; sxy += x * y; syy += y * y; sxc += x * c; syc += y * c;
  }
  const det = sxx * syy - sxy * sxy;
  if (usable.length >= 2 && det > 1e-9 * sxx * syy) {
    const alpha = (sxc * syy - syc * sxy) / det;
    const beta = (syc * sxx - sxc * sxy) / det;
    if (alpha > 0 && beta > 0) return { alpha, beta, how: `least squares over ${usable.length} points: learner CPU = α·ingested steps/s + β·updates/s` };
  }
  const alpha = sxx > 0 ? sxc / sxx : Number.NaN;
  return { alpha, beta: 0, how: `ingest and update costs not separable from ${usable.length} point(s): all learner CPU charged to ingest (a conservative ceiling, no update rate)` };
}

type ActorCosts = Pick<FittedCosts, 'actorCpuMicrosPerStep' | 'actorCpuMicrosRange' | 'bestPerActorStepsPerSecond'>;

function actorCosts(points: readonly PointResult[]): ActorCosts {
  const costs: ActorCosts = { actorCpuMicrosPerStep: {}, actorCpuMicrosRange: {}, bestPerActorStepsPerSecond: {} };
  for (const e of [...new Set(points.map((p) => p.envsPerActor))].sort((a, b) => a - b)) {
    const group = points.filter((p) => p.envsPerActor === e && p.actorCpuMicrosPerStep !== null);
    if (group.length === 0) continue;
    const xs = group.map((p) => p.actorCpuMicrosPerStep as number);
    costs.actorCpuMicrosPerStep[String(e)] = median(xs);
    costs.actorCpuMicrosRange[String(e)] = [Math.min(...xs), Math.max(...xs)];
    costs.bestPerActorStepsPerSecond[String(e)] = Math.max(...group.flatMap((p) => p.actorStepsPerSecond));
  }
  return costs;
}

/** Fits the costs to the measured points. */
export function fitCosts(envId: string, points: readonly PointResult[]): FittedCosts {
  const fit = fitLearnerCosts(points);
  const withUpdates = points.filter((p) => p.learnerUpdatesPerSecond > 0);
  return {
    ...actorCosts(points),
    learnerMaxCores: Math.max(0, ...points.map((p) => p.learnerCpuCores).filter(Number.isFinite)),
    learnerMicrosPerIngestedStep: fit.alpha * 1e6,
    learnerMicrosPerUpdate: fit.beta * 1e6,
    learnerFit: fit.how,
    versionsPerUpdate: withUpdates.length > 0 ? median(withUpdates.map((p) => p.versionsPerSecond / p.learnerUpdatesPerSecond)) : 0,
    bytesPerStep: bytesPerEnvStep(envId),
    weightsBytes: Math.max(0, ...points.map((p) => p.weightsBytes)),
  };
}

/** Actor counts the model predicts for. */
export const PREDICTED_ACTORS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

function predict(n: number, envs: number, perActor: number, m: Pick<ClusterModel, 'learnerIngestCeiling' | 'networkCeiling' | 'costs' | 'learnerCores'>): Prediction {
  const ceilings = { actors: n * perActor, learner: m.learnerIngestCeiling, network: m.networkCeiling };
  const bottleneck = (Object.keys(ceilings) as Prediction['bottleneck'][]).reduce((a, b) => (ceilings[b] < ceilings[a] ? b : a));
  const rate = ceilings[bottleneck];
  const alpha = m.costs.learnerMicrosPerIngestedStep / 1e6;
  const beta = m.costs.learnerMicrosPerUpdate / 1e6;
  // At the learner ceiling ingest has taken the whole budget (exactly 0, not a rounding residue).
  const updates = beta <= 0 ? null : bottleneck === 'learner' ? 0 : Math.max(0, (m.learnerCores - alpha * rate) / beta);
  const broadcastMBps = updates === null ? null : (m.costs.weightsBytes * m.costs.versionsPerUpdate * updates * n) / 1e6;
  return { envsPerActor: envs, actors: n, envStepsPerSecond: rate, bottleneck, learnerUpdatesPerSecond: updates, broadcastMBps };
}

/** The model with its ceilings and predictions for each envs-per-actor value measured. */
export function clusterModel(envId: string, points: readonly PointResult[], assumptions: ClusterAssumptions = DEFAULT_ASSUMPTIONS): ClusterModel {
  const costs = fitCosts(envId, points);
  const learnerCores = assumptions.learnerCores ?? costs.learnerMaxCores;
  const alpha = costs.learnerMicrosPerIngestedStep / 1e6;
  const learnerIngestCeiling = alpha > 0 ? learnerCores / alpha : Infinity;
  const networkCeiling = (assumptions.networkGbps * 1e9) / 8 / costs.bytesPerStep;
  const base = { assumptions, learnerCores, costs, learnerIngestCeiling, networkCeiling };
  const perActorStepsPerSecond: Record<string, number> = {};
  const predictions: Prediction[] = [];
  for (const [e, micros] of Object.entries(costs.actorCpuMicrosPerStep)) {
    perActorStepsPerSecond[e] = Math.min(costs.bestPerActorStepsPerSecond[e], assumptions.actorCores / (micros / 1e6));
    for (const n of PREDICTED_ACTORS) predictions.push(predict(n, Number(e), perActorStepsPerSecond[e], base));
  }
  return { ...base, assumptionText: assumptionText(assumptions, learnerCores), perActorStepsPerSecond, predictions };
}
