/**
 * A sweep: every point in turn, each started, measured and stopped before the next; the first point
 * that fails ends the sweep (what was measured before it is kept).
 */
import { formatRate } from '../summary.js';
import { pointLabel, ScalePointError, type PointResult, type ScalePoint } from './point.js';

/** Actors ascending within each envs-per-actor value, envs values in the order given. */
export function sweepPoints(actors: readonly number[], envs: readonly number[]): ScalePoint[] {
  const sorted = [...actors].sort((a, b) => a - b);
  return envs.flatMap((envsPerActor) => sorted.map((n) => ({ actors: n, envsPerActor })));
}

export type PointRunner = (point: ScalePoint, signal: AbortSignal) => Promise<PointResult>;

/** Why a sweep ended early: the point that failed (null: before any point) and the reason. */
export interface SweepFailure {
  point: ScalePoint | null;
  message: string;
}

export interface SweepOutcome {
  results: PointResult[];
  failure: SweepFailure | null;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One line on a measured point: throughput, learner, lag. */
export function pointLine(r: PointResult): string {
  const lag = r.policyLagMean === null ? '–' : r.policyLagMean.toFixed(2);
  return `${formatRate(r.envStepsPerSecond)} env-steps/s (${formatRate(r.envStepsPerSecondPerActor)} per actor), ${r.learnerUpdatesPerSecond.toFixed(0)} updates/s, policy lag ${lag} versions`;
}

/** Runs the points in order; reports progress through `notice`; stops at the first failure or when `signal` aborts. */
export async function runSweep(points: readonly ScalePoint[], runPoint: PointRunner, signal: AbortSignal, notice: (text: string) => void): Promise<SweepOutcome> {
  const results: PointResult[] = [];
  const started = performance.now();
  for (const [i, point] of points.entries()) {
    const elapsed = (performance.now() - started) / 1000;
    const left = i === 0 ? '' : `, about ${clock((elapsed / i) * (points.length - i))} left`;
    const tag = `[${i + 1}/${points.length}] ${pointLabel(point)}`;
    notice(`${tag}: starting (${clock(elapsed)} elapsed${left})`);
    try {
      if (signal.aborted) throw new ScalePointError(point, `interrupted (${String(signal.reason)})`);
      const r = await runPoint(point, signal);
      results.push(r);
      notice(`${tag}: ${pointLine(r)}`);
    } catch (e) {
      const reason = signal.aborted ? `interrupted (${String(signal.reason)})` : e instanceof ScalePointError ? e.reason : (e as Error).message;
      return { results, failure: { point, message: new ScalePointError(point, reason).message } };
    }
  }
  return { results, failure: null };
}
