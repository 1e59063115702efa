/**
 * What `reverie simulate` measures (latencies, policy versions, errors) and the report it writes.
 */
import Table from 'cli-table3';
import { meanStd } from '../stats.js';

/** Request latencies in ms, in a growing Float64Array (no per-sample object). */
export class LatencyRecorder {
  private samples = new Float64Array(1024);
  private n = 0;

  add(ms: number): void {
    if (this.n === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  /** Nearest-rank percentiles, max and mean; null when nothing was recorded. */
  summary(): LatencySummary | null {
    if (this.n === 0) return null;
    const sorted = this.samples.slice(0, this.n).sort();
    const rank = (p: number): number => sorted[Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1))];
    return {
      count: this.n,
      mean: meanStd(sorted).mean,
      p50: rank(50),
      p90: rank(90),
      p99: rank(99),
      max: sorted[this.n - 1],
    };
  }
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface EpisodeVersions {
  episode: number;
  first: number;
  last: number;
}

/** The policy versions that answered: distinct ones in order of first appearance, and each episode's first/last. */
export class VersionTracker {
  readonly seen: number[] = [];
  readonly perEpisode: EpisodeVersions[] = [];
  private readonly seenSet = new Set<number>();
  private current: EpisodeVersions | null = null;
  private episodeIndex = 0;

  startEpisode(episode: number): void {
    this.current = null;
    this.episodeIndex = episode;
  }

  record(version: number): void {
    if (!this.seenSet.has(version)) {
      this.seenSet.add(version);
      this.seen.push(version);
    }
    if (this.current === null) {
      this.current = { episode: this.episodeIndex, first: version, last: version };
      this.perEpisode.push(this.current);
    } else {
      this.current.last = version;
    }
  }
}

export interface SimulateReport {
  target: string;
  env: string;
  mode: 'unary' | 'stream';
  /** The policy asked for ('' = the server's default). */
  policy: string;
  /** The pinned version, or null for "the newest". */
  pinnedVersion: number | null;
  seed: number;
  /** Episodes finished (fewer than asked when the run was aborted). */
  episodes: number;
  steps: number;
  returns: number[];
  lengths: number[];
  meanReturn: number | null;
  stdReturn: number | null;
  versions: { seen: number[]; perEpisode: EpisodeVersions[] };
  /** Round-trip latency of successful requests, ms. */
  latencyMs: LatencySummary | null;
  /** Failed requests by gRPC status name. */
  errors: Record<string, number>;
  completed: boolean;
  abortReason: string | null;
  elapsedSeconds: number;
  stepsPerSecond: number;
}

export function returnStats(returns: readonly number[]): { meanReturn: number | null; stdReturn: number | null } {
  if (returns.length === 0) return { meanReturn: null, stdReturn: null };
  const { mean, std } = meanStd(returns);
  return { meanReturn: mean, stdReturn: std };
}

function fmt(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined ? '–' : x.toFixed(digits);
}

function versionsText(r: SimulateReport): string {
  const s = r.versions.seen;
  if (s.length === 0) return '–';
  return s.length <= 4 ? s.join(', ') : `${s[0]} … ${s[s.length - 1]} (${s.length} distinct)`;
}

/** The end-of-run summary as a plain text table. */
export function renderSimulateTable(r: SimulateReport): string {
  const lat = r.latencyMs;
  const errors = Object.entries(r.errors).map(([code, n]) => `${code} ${n}`).join(', ');
  const table = new Table({
    head: ['episodes', 'steps', 'return (mean ± std)', 'min / max', 'versions seen', 'latency ms p50 / p90 / p99 / max', 'errors'],
    style: { head: [], border: [] },
  });
  table.push([
    String(r.episodes),
    String(r.steps),
    r.meanReturn === null ? '–' : `${fmt(r.meanReturn, 1)} ± ${fmt(r.stdReturn, 1)}`,
    r.returns.length === 0 ? '–' : `${Math.min(...r.returns).toFixed(1)} / ${Math.max(...r.returns).toFixed(1)}`,
    versionsText(r),
    lat === null ? '–' : `${fmt(lat.p50, 3)} / ${fmt(lat.p90, 3)} / ${fmt(lat.p99, 3)} / ${fmt(lat.max, 3)}`,
    errors === '' ? 'none' : errors,
  ]);
  return table.toString();
}
