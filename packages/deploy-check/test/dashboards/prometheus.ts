/**
 * A real Prometheus (the `prometheus` binary from PATH, Debian's package) scraping given metrics URLs
 * every second into a temporary storage dir, and its HTTP query API.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from './dashboardFiles.js';
import type { MetricsEndpoint } from './localStack.js';

/** The example config grafana/README.md runs next to a `reverie stack up`. */
export const LOCAL_CONFIG = join(REPO_ROOT, 'grafana', 'prometheus.local.yml');

export const PROMETHEUS_MISSING =
  'prometheus is not on PATH: install it with `apt-get install -y --no-install-recommends prometheus` (Debian package), then run this test again';

/** Throws with the install hint when there is no runnable `prometheus`. */
export function requirePrometheus(): string {
  const r = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${PROMETHEUS_MISSING} (${r.error?.message ?? r.stderr})`);
  return (r.stdout || r.stderr).split('\n')[0] ?? '';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * file_sd targets, one per endpoint, in the format grafana/README.md writes from the READY line: the
 * `instance` label is the process name (model-server, learner, actor-1, …), not a port that changes every run.
 */
export function fileSdTargets(endpoints: MetricsEndpoint[]): object[] {
  return endpoints.map(({ name, url }) => {
    const u = new URL(url);
    return { targets: [u.host], labels: { instance: name, __metrics_path__: u.pathname } };
  });
}

interface ScrapeJob { job_name: string; file_sd_configs?: { files: string[]; refresh_interval?: string }[] }
interface PrometheusConfig { global?: Record<string, string>; scrape_configs?: ScrapeJob[] }

/** grafana/prometheus.local.yml with a faster scrape and its file_sd pointed at `targetsFile`. */
export function scrapeConfig(targetsFile: string, intervalS: number): string {
  const config = parse(readFileSync(LOCAL_CONFIG, 'utf8')) as PrometheusConfig;
  const interval = `${intervalS}s`;
  config.global = { ...config.global, scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval };
  const jobs = config.scrape_configs ?? [];
  if (jobs.length !== 1 || !jobs[0]!.file_sd_configs) throw new Error(`${LOCAL_CONFIG}: expected one scrape job with file_sd_configs`);
  jobs[0]!.file_sd_configs = [{ files: [targetsFile], refresh_interval: interval }];
  return stringify(config);
}

export interface PromSample { metric: Record<string, string>; value: [number, string] }
type QueryReply = { status: 'success'; data: { resultType: string; result: PromSample[] | [number, string] } } | { status: 'error'; errorType: string; error: string };

export interface RunningPrometheus {
  url: string;
  configFile: string;
  /** Instant query; a parse or evaluation error comes back as `error`. */
  query(expr: string): Promise<{ series: PromSample[]; error?: string }>;
  labelValues(label: string, match: string): Promise<string[]>;
  targetHealth(): Promise<{ instance: string; health: string; lastError: string }[]>;
  output(): string;
  stop(): Promise<void>;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  return (await res.json()) as T;
}

async function waitUntilReady(url: string, proc: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited with ${proc.exitCode}:\n${log()}`);
    const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`prometheus was not ready within ${timeoutMs} ms:\n${log()}`);
}

export async function startPrometheus(endpoints: MetricsEndpoint[], dir: string, intervalS = 1): Promise<RunningPrometheus> {
  requirePrometheus();
  const configFile = join(dir, 'prometheus.yml');
  const targetsFile = join(dir, 'targets.json');
  writeFileSync(targetsFile, JSON.stringify(fileSdTargets(endpoints), null, 2));
  writeFileSync(configFile, scrapeConfig(targetsFile, intervalS));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  const proc = spawn('prometheus', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilReady(url, proc, () => log, 20_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    configFile,
    output: () => log,
    stop,
    async query(expr) {
      const reply = await getJson<QueryReply>(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      if (reply.status !== 'success') return { series: [], error: `${reply.errorType}: ${reply.error}` };
      const { resultType, result } = reply.data;
      if (resultType !== 'vector') return { series: [], error: `result type ${resultType}, not an instant vector` };
      return { series: result as PromSample[] };
    },
    async labelValues(label, match) {
      const reply = await getJson<{ status: string; data?: string[] }>(`${url}/api/v1/label/${label}/values?match[]=${encodeURIComponent(match)}`);
      return reply.data ?? [];
    },
    async targetHealth() {
      type Targets = { data: { activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] } };
      const reply = await getJson<Targets>(`${url}/api/v1/targets`);
      return reply.data.activeTargets.map((t) => ({ instance: t.labels.instance ?? '?', health: t.health, lastError: t.lastError }));
    },
  };
}
