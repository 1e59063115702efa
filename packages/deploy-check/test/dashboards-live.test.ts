/**
 * The dashboards against a running system: starts the local stack (`reverie stack up`), a real
 * Prometheus scraping every metrics URL once a second, drives the model-server with `reverie simulate`
 * (good requests and a bad one, as simulators do), then runs every dashboard query through
 * Prometheus's HTTP API. Each must parse and return series; legends must find their labels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboards, panelQueries, substituteVariables, variableQueries } from './dashboards/dashboardFiles.js';
import { buildRepository, startLocalStack, startSimulator, type LocalStack, type SimulatorRun } from './dashboards/localStack.js';
import { requirePrometheus, startPrometheus, type PromSample, type RunningPrometheus } from './dashboards/prometheus.js';
import { legendLabels } from './dashboards/promql.js';

const SCRAPE_S = 1;
const RATE_INTERVAL = '5s';
const dashboards = loadDashboards();
const queries = panelQueries(dashboards).map((q) => ({ ...q, promql: substituteVariables(q.expr, dashboards, RATE_INTERVAL) }));

let dir = '';
let stack: LocalStack | undefined;
let prom: RunningPrometheus | undefined;
let simulator: SimulatorRun | undefined;
const results = new Map<string, { series: PromSample[]; error?: string }>();

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the stack's last output:\n${stack?.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function seriesCount(p: RunningPrometheus, expr: string): Promise<number> {
  return (await p.query(expr)).series.length;
}

/**
 * PolicyService traffic as simulators make it: one bad observation shape, unary episodes, then an
 * ActStream simulator left running while Prometheus scrapes and the queries run (so rates and
 * latency quantiles cover live traffic).
 */
async function startSimulatorTraffic(target: string): Promise<SimulatorRun> {
  // Acrobot's 6-number observations against a CartPole policy: INVALID_ARGUMENT, counted by code.
  await startSimulator(target, join(dir, 'sim-bad'), ['--episodes', '1', '--env', 'Acrobot-v1']).exited;
  const unary = await startSimulator(target, join(dir, 'sim-unary'), ['--episodes', '3', '--seed', '1']).exited;
  if (unary.code !== 0) throw new Error(`reverie simulate (unary) failed with ${unary.code}:\n${unary.output}`);
  return startSimulator(target, join(dir, 'sim-stream'), ['--episodes', '100000', '--seed', '2', '--stream']);
}

async function setUp(): Promise<void> {
  requirePrometheus();
  buildRepository();
  dir = mkdtempSync(join(tmpdir(), 'reverie-dashboards-'));
  stack = await startLocalStack({ actors: 2, envsPerActor: 4, dataDir: join(dir, 'stack'), readyTimeoutMs: 60_000 });
  const p = await startPrometheus(stack.endpoints, dir, SCRAPE_S);
  prom = p;
  const expected = stack.endpoints.length;
  await waitFor(`${expected} targets up`, 15_000, async () => (await p.targetHealth()).filter((t) => t.health === 'up').length === expected);
  await waitFor('a published weight version', 45_000, async () => (await seriesCount(p, 'reverie_model_latest_version')) > 0);
  simulator = await startSimulatorTraffic(stack.modelServerGrpc);
  // A few scrapes with the stream traffic flowing, so every rate window holds some.
  await waitFor('5 scrapes of every target', 20_000, async () => (await seriesCount(p, 'count_over_time(up[1m]) >= 5')) === expected);
  await new Promise((r) => setTimeout(r, 3 * SCRAPE_S * 1000));
  for (const q of queries) results.set(q.where, await p.query(q.promql));
  if (!simulator.running()) {
    const { code, output } = await simulator.exited;
    throw new Error(`reverie simulate --stream ended (${code}) before the queries ran:\n${output}`);
  }
}

async function tearDown(): Promise<void> {
  await simulator?.stop();
  await prom?.stop();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

// Outside the describe, so a machine without Prometheus reports this failed test, never only skipped ones.
it('finds prometheus on PATH (Debian: apt-get install prometheus)', () => {
  expect(requirePrometheus()).toMatch(/^prometheus, version/);
});

describe('grafana dashboards (live, against reverie stack up and Prometheus)', () => {
  beforeAll(setUp, 180_000);
  afterAll(tearDown, 60_000);

  it('scrapes every process the stack started', async () => {
    const health = await prom!.targetHealth();
    expect(health.map((t) => t.instance).sort()).toEqual(stack!.endpoints.map((e) => e.name).sort());
    expect(health.filter((t) => t.health !== 'up')).toEqual([]);
  });

  it('runs every dashboard query: each parses and returns at least one series', () => {
    const failed = queries.flatMap((q) => {
      const r = results.get(q.where)!;
      if (r.error) return [`${q.where}: ${r.error}\n    ${q.promql}`];
      return r.series.length === 0 ? [`${q.where}: no series\n    ${q.promql}`] : [];
    });
    expect(failed, `queries that failed or returned nothing:\n${failed.join('\n')}`).toEqual([]);
  });

  it('finds every label a legend shows on the series it names', () => {
    const missing = queries.flatMap((q) =>
      legendLabels(q.legendFormat).flatMap((label) => {
        const bare = (results.get(q.where)?.series ?? []).filter((s) => !(label in s.metric));
        return bare.length > 0 ? [`${q.where}: legend {{${label}}} but a series has only ${JSON.stringify(bare[0]!.metric)}`] : [];
      }),
    );
    expect(missing).toEqual([]);
  });

  it('gives every template variable values to choose from', async () => {
    const empty: string[] = [];
    for (const v of variableQueries(dashboards)) {
      if ((await prom!.labelValues(v.label, v.metric)).length === 0) empty.push(`${v.where}: label_values(${v.metric}, ${v.label}) is empty`);
    }
    expect(empty).toEqual([]);
  });
});
