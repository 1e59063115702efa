/**
 * The pure parts of `reverie scale`: Prometheus text, histogram quantiles, the increase over a window,
 * the figures of a point, scaling efficiency, the cluster model's fit, the CSV.
 */
import { Counter, createMetricsRegistry, Histogram } from '@reverie/telemetry';
import { describe, expect, it } from 'vitest';
import { bucketBound, histogramIncrease, histogramMean, histogramQuantile, mergeBuckets, type HistogramCounts } from '../src/scale/histogram.js';
import type { WindowIncrease } from '../src/scale/metrics.js';
import { bytesPerEnvStep, clusterModel, fitLearnerCosts } from '../src/scale/model.js';
import { pointResult, withScalingEfficiency, type PointResult } from '../src/scale/point.js';
import { parsePromText, parseSampleLine, PromTextError } from '../src/scale/promText.js';
import { CSV_COLUMNS, scaleCsv } from '../src/scale/report.js';
import { sampleHistogram, sampleSum, scrapeIncrease, type StackScrape } from '../src/scale/scrape.js';
import { sweepPoints } from '../src/scale/sweep.js';

describe('Prometheus text format', () => {
  it('reads names, labels with escapes, special values and timestamps; skips comments', () => {
    const text = [
      '# HELP x_total Things',
      '# TYPE x_total counter',
      'x_total{service="actor",path="a\\"b\\\\c\\nd"} 12.5 1700000000000',
      'y 3e2',
      'z_bucket{le="+Inf"} +Inf',
      'w NaN',
      '',
      'v{} -Inf',
    ].join('\n');
    const samples = parsePromText(text);
    expect(samples.map((s) => s.name)).toEqual(['x_total', 'y', 'z_bucket', 'w', 'v']);
    expect(samples[0]).toEqual({ name: 'x_total', labels: { service: 'actor', path: 'a"b\\c\nd' }, value: 12.5 });
    expect(samples[1].value).toBe(300);
    expect(samples[2].value).toBe(Infinity);
    expect(samples[3].value).toBeNaN();
    expect(samples[4]).toEqual({ name: 'v', labels: {}, value: -Infinity });
  });

  it('names the line of a malformed sample', () => {
    expect(() => parseSampleLine('x{a="1"} twelve')).toThrow(PromTextError);
    expect(() => parseSampleLine('x{a="1"} twelve')).toThrow(/"twelve" is not a number in line: x\{a="1"\} twelve/);
    expect(() => parseSampleLine('x{a="1} 3')).toThrow(/unterminated value of label a/);
    expect(() => parseSampleLine('x{a=1} 3')).toThrow(/expected ="value" after label a/);
    expect(() => parseSampleLine('{a="1"} 3')).toThrow(/no metric name/);
  });

  it('reads what prom-client exports: counters summed over label sets, histogram buckets with +Inf', async () => {
    const registry = createMetricsRegistry({ service: 'actor', collectDefault: false });
    const c = new Counter({ name: 'reverie_t_total', help: 'h', labelNames: ['result'], registers: [registry] });
    const h = new Histogram({ name: 'reverie_t_seconds', help: 'h', buckets: [0.1, 1], registers: [registry] });
    c.inc({ result: 'ok' }, 5);
    c.inc({ result: 'error' }, 2);
    for (const v of [0.05, 0.5, 0.7, 3]) h.observe(v);
    const samples = parsePromText(await registry.metrics());
    expect(sampleSum(samples, { name: 'reverie_t_total', labels: {} })).toBe(7);
    expect(sampleSum(samples, { name: 'reverie_t_total', labels: { result: 'ok', service: 'actor' } })).toBe(5);
    expect(sampleSum(samples, { name: 'reverie_t_total', labels: { service: 'learner' } })).toBe(0);
    const hist = sampleHistogram(samples, { name: 'reverie_t_seconds', labels: {} });
    expect(hist.buckets).toEqual([{ le: 0.1, count: 1 }, { le: 1, count: 3 }, { le: Infinity, count: 4 }]);
    expect(hist.sum).toBeCloseTo(4.25, 12);
    expect(hist.count).toBe(4);
  });
});

const hist = (pairs: [number, number][], sum = 0): HistogramCounts => ({ buckets: pairs.map(([le, count]) => ({ le, count })), sum, count: pairs[pairs.length - 1]?.[1] ?? 0 });

describe('histograms', () => {
  it('reads bucket bounds, +Inf included, and refuses others', () => {
    expect(bucketBound('+Inf')).toBe(Infinity);
    expect(bucketBound('0.25')).toBe(0.25);
    expect(bucketBound('1e-3')).toBe(0.001);
    expect(() => bucketBound('many')).toThrow(/le="many" is not a number/);
  });

  it('interpolates quantiles inside buckets as histogram_quantile does', () => {
    // 10 observations: 2 in (0, 1], 6 in (1, 2], 2 above 2.
    const h = hist([[1, 2], [2, 8], [Infinity, 10]]);
    expect(histogramQuantile(h, 0.1)).toBeCloseTo(0.5, 12); // rank 1 of 2 in the first bucket, which starts at 0
    expect(histogramQuantile(h, 0.5)).toBeCloseTo(1.5, 12); // rank 5: 3 of 6 into (1, 2]
    expect(histogramQuantile(h, 0.8)).toBeCloseTo(2, 12);
    expect(histogramQuantile(h, 0.95)).toBe(2); // in +Inf: the highest finite bound
    expect(histogramQuantile(hist([[0, 7], [1, 10], [Infinity, 10]]), 0.5)).toBe(0); // a bucket at le=0 holds the median
    expect(histogramQuantile(hist([[1, 0], [Infinity, 0]]), 0.5)).toBeNaN();
    expect(histogramMean({ ...h, sum: 15 })).toBe(1.5);
    expect(histogramMean(hist([]))).toBeNaN();
  });

  it('takes increases per bucket, counts a reset from zero, and merges equal bounds', () => {
    const start = hist([[1, 2], [Infinity, 3]], 4);
    const end = hist([[1, 5], [Infinity, 9]], 10);
    expect(histogramIncrease(start, end)).toEqual({ buckets: [{ le: 1, count: 3 }, { le: Infinity, count: 6 }], sum: 6, count: 6 });
    // A process restarted in between: its counters went down, so the end values are the increase.
    expect(histogramIncrease(end, start)).toEqual(start);
    expect(mergeBuckets([{ le: Infinity, count: 1 }, { le: 1, count: 2 }, { le: 1, count: 3 }])).toEqual([{ le: 1, count: 5 }, { le: Infinity, count: 1 }]);
  });
});

/** Prometheus text of one actor, learner or model-server with the given counter values. */
function actorText(steps: number, cpu: number, apply: [number, number]): string {
  return [
    `reverie_actor_env_steps_total{service="actor"} ${steps}`,
    `process_cpu_seconds_total{service="actor"} ${cpu}`,
    `reverie_actor_weights_apply_seconds_bucket{le="0.01",service="actor"} ${apply[0]}`,
    `reverie_actor_weights_apply_seconds_bucket{le="+Inf",service="actor"} ${apply[1]}`,
    `reverie_actor_weights_apply_seconds_sum{service="actor"} ${apply[1] * 0.02}`,
    `reverie_actor_weights_apply_seconds_count{service="actor"} ${apply[1]}`,
  ].join('\n');
}

function learnerText(steps: number, updates: number, cpu: number, publishes: number, lag: [number, number, number]): string {
  return [
    `reverie_learner_env_steps_total{service="learner"} ${steps}`,
    `reverie_learner_updates_total{service="learner"} ${updates}`,
    `process_cpu_seconds_total{service="learner"} ${cpu}`,
    `reverie_learner_publishes_total{result="ok",service="learner"} ${publishes}`,
    `reverie_learner_publishes_total{result="error",service="learner"} 99`,
    'reverie_learner_weights_bytes{service="learner"} 70248',
    // source="actor" is the actor's own view; the figures use the learner's.
    `reverie_learner_policy_lag_versions_bucket{le="0",source="actor",service="learner"} 1000`,
    `reverie_learner_policy_lag_versions_bucket{le="0",source="learner",service="learner"} ${lag[0]}`,
    `reverie_learner_policy_lag_versions_bucket{le="1",source="learner",service="learner"} ${lag[1]}`,
    `reverie_learner_policy_lag_versions_bucket{le="+Inf",source="learner",service="learner"} ${lag[2]}`,
    `reverie_learner_policy_lag_versions_sum{source="learner",service="learner"} ${lag[1] - lag[0] + 3 * (lag[2] - lag[1])}`,
    `reverie_learner_policy_lag_versions_count{source="learner",service="learner"} ${lag[2]}`,
  ].join('\n');
}

const scrapeAt = (atMs: number, learner: string, actors: string[]): StackScrape => ({
  atMs,
  modelServer: parsePromText('reverie_model_broadcast_seconds_bucket{le="0.05",policy="p"} 0\nreverie_model_broadcast_seconds_bucket{le="+Inf",policy="p"} 0'),
  learner: parsePromText(learner),
  actors: actors.map(parsePromText),
});

describe('the increase over a window', () => {
  it('subtracts the first scrape from the second, per actor and summed, and turns it into rates', () => {
    const start = scrapeAt(1000, learnerText(5000, 100, 3, 1, [10, 20, 20]), [actorText(1000, 1, [1, 1]), actorText(2000, 2, [0, 0])]);
    const end = scrapeAt(5000, learnerText(45000, 900, 6.2, 9, [20, 40, 50]), [actorText(21000, 1.3, [3, 5]), actorText(22000, 2.3, [4, 4])]);
    const w = scrapeIncrease(start, end);
    expect(w.seconds).toBe(4);
    expect(w.actorSteps).toEqual([20000, 20000]);
    expect(w.actorCpuSeconds).toBeCloseTo(0.6, 12);
    expect([w.learnerSteps, w.learnerUpdates, w.publishes, w.weightsBytes]).toEqual([40000, 800, 8, 70248]);
    expect(w.learnerCpuSeconds).toBeCloseTo(3.2, 12);
    expect(w.policyLag.buckets).toEqual([{ le: 0, count: 10 }, { le: 1, count: 20 }, { le: Infinity, count: 30 }]);
    expect(w.weightsApply).toMatchObject({ buckets: [{ le: 0.01, count: 6 }, { le: Infinity, count: 8 }], count: 8 });
    expect(w.broadcast.count).toBe(0);

    const r = pointResult({ actors: 2, envsPerActor: 8 }, w, { loadAverage1m: 1.5, notes: [] });
    expect(r.envStepsPerSecond).toBe(10000);
    expect(r.envStepsPerSecondPerActor).toBe(5000);
    expect(r.actorStepsPerSecond).toEqual([5000, 5000]);
    expect(r.learnerUpdatesPerSecond).toBe(200);
    expect(r.ingestStepsPerSecond).toBe(10000);
    expect(r.versionsPerSecond).toBe(2);
    expect(r.actorCpuMicrosPerStep).toBeCloseTo(15, 9);
    expect(r.learnerCpuCores).toBeCloseTo(0.8, 12);
    expect(r.policyLagMean).toBeCloseTo((10 + 3 * 10) / 30, 12);
    expect(r.policyLagP95).toBe(1);
    expect(r.broadcastMeanMs).toBeNull(); // nothing broadcast in the window: no figure, not NaN
    expect(r.weightsApplyMeanMs).toBeCloseTo(((5 - 1) * 0.02 * 1000 + 4 * 0.02 * 1000) / 8, 9);
  });

  it('refuses scrapes of stacks with different actor counts', () => {
    const a = scrapeAt(0, learnerText(0, 0, 0, 0, [0, 0, 0]), [actorText(0, 0, [0, 0])]);
    const b = scrapeAt(1000, learnerText(0, 0, 0, 0, [0, 0, 0]), []);
    expect(() => scrapeIncrease(a, b)).toThrow(/actor counts differ/);
  });
});

/** A measured point with the fields the efficiency and the model read. */
function point(actors: number, envsPerActor: number, perActor: number, extra: Partial<PointResult> = {}): PointResult {
  const w: WindowIncrease = {
    seconds: 1,
    actorSteps: Array.from({ length: actors }, () => perActor),
    actorCpuSeconds: actors * perActor * 20e-6,
    learnerSteps: actors * perActor,
    learnerUpdates: 100,
    learnerCpuSeconds: 0.5,
    publishes: 1,
    weightsBytes: 1000,
    policyLag: hist([]),
    broadcast: hist([]),
    weightsApply: hist([]),
  };
  return { ...pointResult({ actors, envsPerActor }, w, { loadAverage1m: null, notes: [] }), ...extra };
}

describe('scaling efficiency and the sweep order', () => {
  it('divides per-actor throughput by that of the fewest actors with the same envs per actor', () => {
    const rs = withScalingEfficiency([point(1, 16, 1000), point(2, 16, 900), point(4, 16, 500), point(2, 64, 3000), point(4, 64, 2400)]);
    expect(rs.map((r) => r.scalingEfficiency)).toEqual([1, 0.9, 0.5, 1, 0.8]);
    expect(withScalingEfficiency([point(1, 8, 0), point(2, 8, 10)]).map((r) => r.scalingEfficiency)).toEqual([null, null]);
  });

  it('runs actors ascending within each envs value', () => {
    expect(sweepPoints([4, 1, 2], [64, 16])).toEqual([
      { actors: 1, envsPerActor: 64 }, { actors: 2, envsPerActor: 64 }, { actors: 4, envsPerActor: 64 },
      { actors: 1, envsPerActor: 16 }, { actors: 2, envsPerActor: 16 }, { actors: 4, envsPerActor: 16 },
    ]);
  });
});

describe('the cluster model', () => {
  const ALPHA = 5e-6; // learner CPU seconds per ingested step
  const BETA = 3e-3; // per update
  const learnerPoint = (ingest: number, updates: number) => ({ ingestStepsPerSecond: ingest, learnerUpdatesPerSecond: updates, learnerCpuCores: ALPHA * ingest + BETA * updates });

  it('recovers the learner costs from points that vary ingest and updates', () => {
    const fit = fitLearnerCosts([learnerPoint(20000, 200), learnerPoint(50000, 150), learnerPoint(90000, 60), learnerPoint(0, 0)]);
    expect(fit.alpha).toBeCloseTo(ALPHA, 12);
    expect(fit.beta).toBeCloseTo(BETA, 12);
    expect(fit.how).toMatch(/least squares over 3 points/);
  });

  it('charges all learner CPU to ingest when the two cannot be told apart', () => {
    // Updates proportional to ingest: the normal equations are singular.
    const fit = fitLearnerCosts([learnerPoint(10000, 100), learnerPoint(20000, 200)]);
    expect(fit.beta).toBe(0);
    expect(fit.alpha).toBeCloseTo(ALPHA + BETA / 100, 12);
    expect(fit.how).toMatch(/not separable from 2 point/);
  });

  it('predicts min(actors × per-actor rate, learner ceiling, network) and the updates left to the learner', () => {
    const pts = [learnerPoint(20000, 200), learnerPoint(36000, 120)].map((l, i) =>
      point(i + 1, 16, 20000 - 2000 * i, { ...l, actorCpuMicrosPerStep: i === 0 ? 20 : 30 }),
    );
    const m = clusterModel('CartPole-v1', pts, { actorCores: 1, learnerCores: 1, networkGbps: 1 });
    expect(m.costs.learnerMicrosPerIngestedStep).toBeCloseTo(5, 6);
    expect(m.costs.learnerMicrosPerUpdate).toBeCloseTo(3000, 3);
    expect(m.costs.actorCpuMicrosPerStep['16']).toBe(25);
    // The best rate one actor reached (20k/s) is below what its core allows (1 / 25 µs = 40k/s).
    expect(m.perActorStepsPerSecond['16']).toBe(20000);
    expect(m.learnerIngestCeiling).toBeCloseTo(200000, 0);
    expect(m.networkCeiling).toBeCloseTo(1e9 / 8 / 42, 6);
    const at = (n: number) => m.predictions.find((p) => p.actors === n)!;
    expect(at(4)).toMatchObject({ envStepsPerSecond: 80000, bottleneck: 'actors' });
    expect(at(4).learnerUpdatesPerSecond).toBeCloseTo((1 - 5e-6 * 80000) / 3e-3, 6);
    expect(at(16)).toMatchObject({ bottleneck: 'learner', learnerUpdatesPerSecond: 0 });
    expect(at(16).envStepsPerSecond).toBeCloseTo(200000, 0);
    expect(m.assumptionText.length).toBeGreaterThanOrEqual(4);
    // Without a given learner budget, the model uses the most the learner used.
    const measured = clusterModel('CartPole-v1', pts);
    expect(measured.learnerCores).toBeCloseTo(Math.max(...pts.map((p) => p.learnerCpuCores)), 12);
  });

  it('counts the wire bytes of one env step from the spaces', () => {
    expect(bytesPerEnvStep('CartPole-v1')).toBe(2 * 16 + 4 + 4 + 2);
    expect(bytesPerEnvStep('Acrobot-v1')).toBe(2 * 24 + 4 + 4 + 2);
  });
});

describe('scale.csv', () => {
  it('has a header and one row per point; missing figures are empty cells', () => {
    const csv = scaleCsv([point(1, 16, 1000), point(2, 16, 900)]).trimEnd().split('\n');
    expect(csv[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv).toHaveLength(3);
    const row = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, csv[2].split(',')[i]]));
    expect(row).toMatchObject({ actors: '2', envsPerActor: '16', envStepsPerSecond: '1800', policyLagMean: '', scalingEfficiency: '' });
  });
});
