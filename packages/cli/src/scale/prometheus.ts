/**
 * Cluster measurement: the same window figures as a local sweep, from a Prometheus that scrapes the
 * services (deploy/k8s/components/monitoring), through its HTTP API (instant queries of increase()).
 */
import { z } from 'zod';
import { bucketBound, EMPTY_HISTOGRAM, type HistogramCounts } from './histogram.js';
import { promSelector, SCALE_METRICS, type MetricSpec, type WindowIncrease } from './metrics.js';

const vectorResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
  }),
});

export interface VectorSample {
  labels: Record<string, string>;
  value: number;
}

/** A query Prometheus refused, or an answer that is not an instant vector; names the query. */
export class PrometheusError extends Error {
  override name = 'PrometheusError';
}

/** GET /api/v1/query at `timeSeconds` (Unix time). */
export async function promQuery(baseUrl: string, query: string, timeSeconds: number): Promise<VectorSample[]> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', query);
  url.searchParams.set('time', timeSeconds.toFixed(3));
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new PrometheusError(`cannot reach Prometheus at ${baseUrl} (${cause}); is it port-forwarded there?`);
  }
  const body: unknown = await res.json().catch(() => null);
  const parsed = vectorResponse.safeParse(body);
  if (res.status !== 200 || !parsed.success) {
    throw new PrometheusError(`Prometheus at ${baseUrl} answered HTTP ${res.status} to ${query}: ${JSON.stringify(body).slice(0, 300)}`);
  }
  return parsed.data.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}

/** Reads one measurement window [end − seconds, end] from Prometheus. */
export class PrometheusWindow {
  /** `extraLabels` narrows every selector, e.g. { namespace: 'reverie' }. */
  constructor(
    private readonly baseUrl: string,
    private readonly endSeconds: number,
    private readonly seconds: number,
    private readonly extraLabels: Record<string, string> = {},
  ) {}

  private increase(s: MetricSpec, suffix = ''): string {
    return `increase(${promSelector(s, suffix, this.extraLabels)}[${Math.round(this.seconds)}s])`;
  }

  private async scalar(query: string): Promise<number> {
    const rows = await promQuery(this.baseUrl, query, this.endSeconds);
    return rows.length === 0 ? 0 : rows[0].value;
  }

  counter(s: MetricSpec): Promise<number> {
    return this.scalar(`sum(${this.increase(s)})`);
  }

  /** The counter's increase per scrape target (`instance`: the pod on the cluster). */
  async counterByInstance(s: MetricSpec): Promise<number[]> {
    const rows = await promQuery(this.baseUrl, `sum by (instance) (${this.increase(s)})`, this.endSeconds);
    return rows.map((r) => r.value);
  }

  gauge(s: MetricSpec): Promise<number> {
    return this.scalar(`max(${promSelector(s, '', this.extraLabels)})`);
  }

  async histogram(s: MetricSpec): Promise<HistogramCounts> {
    const [rows, sum, count] = await Promise.all([
      promQuery(this.baseUrl, `sum by (le) (${this.increase(s, '_bucket')})`, this.endSeconds),
      this.scalar(`sum(${this.increase(s, '_sum')})`),
      this.scalar(`sum(${this.increase(s, '_count')})`),
    ]);
    if (rows.length === 0) return EMPTY_HISTOGRAM;
    const buckets = rows.map((r) => ({ le: bucketBound(r.labels.le ?? ''), count: r.value })).sort((a, b) => a.le - b.le);
    return { buckets, sum, count };
  }

  /** Every figure of the window. */
  async read(): Promise<WindowIncrease> {
    const m = SCALE_METRICS;
    const [actorSteps, actorCpuSeconds, learnerSteps, learnerUpdates, learnerCpuSeconds, publishes, weightsBytes] = await Promise.all([
      this.counterByInstance(m.actorSteps),
      this.counter(m.actorCpu),
      this.counter(m.learnerSteps),
      this.counter(m.learnerUpdates),
      this.counter(m.learnerCpu),
      this.counter(m.publishes),
      this.gauge(m.weightsBytes),
    ]);
    const [policyLag, broadcast, weightsApply] = await Promise.all([this.histogram(m.policyLag), this.histogram(m.broadcast), this.histogram(m.weightsApply)]);
    return { seconds: this.seconds, actorSteps, actorCpuSeconds, learnerSteps, learnerUpdates, learnerCpuSeconds, publishes, weightsBytes, policyLag, broadcast, weightsApply };
  }
}
