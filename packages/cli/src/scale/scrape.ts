/**
 * Local measurement: every process's /metrics read at the start and at the end of the window, and
 * the increase of each measured counter and histogram between the two.
 */
import type { StackEndpoints } from '../stack/stack.js';
import { bucketBound, EMPTY_HISTOGRAM, histogramIncrease, mergeBuckets, type HistogramCounts } from './histogram.js';
import { labelsMatch, SCALE_METRICS, type MetricSpec, type WindowIncrease } from './metrics.js';
import { parsePromText, type Sample } from './promText.js';

/** Every process's samples at one moment; `atMs` is when they were read (performance.now()). */
export interface StackScrape {
  atMs: number;
  modelServer: Sample[];
  learner: Sample[];
  actors: Sample[][];
}

/** /metrics of a process could not be read; names the process and the URL. */
export class ScrapeError extends Error {
  override name = 'ScrapeError';
}

/** GETs one process's /metrics and parses it. */
export async function scrapeMetrics(name: string, url: string | null, timeoutMs = 10_000): Promise<Sample[]> {
  if (url === null) throw new ScrapeError(`${name} reported no metrics URL in its READY line; nothing to measure`);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new ScrapeError(`cannot read ${name}'s metrics at ${url}: ${cause}`);
  }
  if (res.status !== 200) throw new ScrapeError(`${name}'s metrics at ${url} answered HTTP ${res.status}`);
  return parsePromText(await res.text());
}

/** Scrapes every process of a running stack concurrently, so the readings are close together in time. */
export async function scrapeStack(endpoints: StackEndpoints): Promise<StackScrape> {
  const sentMs = performance.now();
  const [modelServer, learner, ...actors] = await Promise.all([
    scrapeMetrics('model-server', endpoints.modelServer.metrics),
    scrapeMetrics('learner', endpoints.learner.metrics),
    ...endpoints.actors.map((a) => scrapeMetrics(a.name, a.metrics)),
  ]);
  // The middle of the requests stands for the moment of the reading.
  return { atMs: (sentMs + performance.now()) / 2, modelServer, learner, actors };
}

/** The sum of a metric's samples that match the spec's labels (0 when none). */
export function sampleSum(samples: readonly Sample[], spec: MetricSpec, suffix = ''): number {
  const name = spec.name + suffix;
  let total = 0;
  for (const s of samples) if (s.name === name && labelsMatch(s.labels, spec.labels)) total += s.value;
  return total;
}

/** A histogram family's buckets, sum and count over every matching label set. */
export function sampleHistogram(samples: readonly Sample[], spec: MetricSpec): HistogramCounts {
  const bucketName = `${spec.name}_bucket`;
  const parts = samples
    .filter((s) => s.name === bucketName && labelsMatch(s.labels, spec.labels) && s.labels.le !== undefined)
    .map((s) => ({ le: bucketBound(s.labels.le), count: s.value }));
  if (parts.length === 0) return EMPTY_HISTOGRAM;
  return { buckets: mergeBuckets(parts), sum: sampleSum(samples, spec, '_sum'), count: sampleSum(samples, spec, '_count') };
}

/** A counter's increase between two scrapes of one process (a restart in between counts from zero). */
function counterIncrease(start: readonly Sample[], end: readonly Sample[], spec: MetricSpec): number {
  const a = sampleSum(start, spec);
  const b = sampleSum(end, spec);
  return b >= a ? b - a : b;
}

function histogramsIncrease(start: readonly Sample[][], end: readonly Sample[][], spec: MetricSpec): HistogramCounts {
  const perProcess = end.map((e, i) => histogramIncrease(sampleHistogram(start[i] ?? [], spec), sampleHistogram(e, spec)));
  return {
    buckets: mergeBuckets(perProcess.flatMap((h) => h.buckets)),
    sum: perProcess.reduce((s, h) => s + h.sum, 0),
    count: perProcess.reduce((s, h) => s + h.count, 0),
  };
}

/** What happened between two scrapes of the same stack. */
export function scrapeIncrease(start: StackScrape, end: StackScrape): WindowIncrease {
  if (start.actors.length !== end.actors.length) throw new Error('the two scrapes are of different stacks (actor counts differ)');
  const m = SCALE_METRICS;
  const actorSteps = end.actors.map((e, i) => counterIncrease(start.actors[i], e, m.actorSteps));
  return {
    seconds: (end.atMs - start.atMs) / 1000,
    actorSteps,
    actorCpuSeconds: end.actors.reduce((s, e, i) => s + counterIncrease(start.actors[i], e, m.actorCpu), 0),
    learnerSteps: counterIncrease(start.learner, end.learner, m.learnerSteps),
    learnerUpdates: counterIncrease(start.learner, end.learner, m.learnerUpdates),
    learnerCpuSeconds: counterIncrease(start.learner, end.learner, m.learnerCpu),
    publishes: counterIncrease(start.learner, end.learner, m.publishes),
    weightsBytes: sampleSum(end.learner, m.weightsBytes),
    policyLag: histogramsIncrease([start.learner], [end.learner], m.policyLag),
    broadcast: histogramsIncrease([start.modelServer], [end.modelServer], m.broadcast),
    weightsApply: histogramsIncrease(start.actors, end.actors, m.weightsApply),
  };
}
