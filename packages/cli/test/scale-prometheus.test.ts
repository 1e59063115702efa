/**
 * The cluster mode's measurement through a real Prometheus (the `prometheus` binary from PATH): it
 * scrapes four exporters whose counters grow at known rates, with the services' metric names and
 * labels, twice a second; PrometheusWindow's queries must give back those rates over a window.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '@reverie/transport';
import { afterAll, describe, expect, it } from 'vitest';
import { pointResult } from '../src/scale/point.js';
import { PrometheusError, PrometheusWindow, promQuery } from '../src/scale/prometheus.js';
import { tempDirs } from './stack-helpers.js';

const dirs = tempDirs('reverie-scale-prom-');
const servers: Server[] = [];
let prometheus: ChildProcess | undefined;
afterAll(async () => {
  prometheus?.kill('SIGKILL');
  for (const s of servers) s.close();
  await dirs.removeAll();
});

const t0 = Date.now();
const elapsed = (): number => (Date.now() - t0) / 1000;

/** Exposition text for one process at this moment: every counter is rate × seconds since t0. */
function exposition(role: string, i: number): string {
  const t = elapsed();
  switch (role) {
    case 'actor':
      return [
        `reverie_actor_env_steps_total{service="actor"} ${1000 * (i + 1) * t}`,
        `process_cpu_seconds_total{service="actor"} ${0.5 * t}`,
        `reverie_actor_weights_apply_seconds_bucket{le="0.01",service="actor"} ${2 * t}`,
        `reverie_actor_weights_apply_seconds_bucket{le="+Inf",service="actor"} ${2 * t}`,
        `reverie_actor_weights_apply_seconds_sum{service="actor"} ${0.01 * t}`,
        `reverie_actor_weights_apply_seconds_count{service="actor"} ${2 * t}`,
      ].join('\n');
    case 'learner':
      return [
        `reverie_learner_env_steps_total{service="learner"} ${3000 * t}`,
        `reverie_learner_updates_total{service="learner"} ${100 * t}`,
        `process_cpu_seconds_total{service="learner"} ${0.8 * t}`,
        `reverie_learner_publishes_total{result="ok",service="learner"} ${t}`,
        `reverie_learner_publishes_total{result="error",service="learner"} ${50 * t}`,
        'reverie_learner_weights_bytes{service="learner"} 70248',
        `reverie_learner_policy_lag_versions_bucket{le="0",source="learner",service="learner"} ${t}`,
        `reverie_learner_policy_lag_versions_bucket{le="1",source="learner",service="learner"} ${4 * t}`,
        `reverie_learner_policy_lag_versions_bucket{le="+Inf",source="learner",service="learner"} ${4 * t}`,
        `reverie_learner_policy_lag_versions_sum{source="learner",service="learner"} ${3 * t}`,
        `reverie_learner_policy_lag_versions_count{source="learner",service="learner"} ${4 * t}`,
        `reverie_learner_policy_lag_versions_bucket{le="+Inf",source="actor",service="learner"} ${1000 * t}`,
      ].join('\n');
    default:
      return [
        `reverie_model_broadcast_seconds_bucket{le="0.05",policy="p",service="model-server"} ${t}`,
        `reverie_model_broadcast_seconds_bucket{le="+Inf",policy="p",service="model-server"} ${t}`,
        `reverie_model_broadcast_seconds_sum{policy="p",service="model-server"} ${0.02 * t}`,
        `reverie_model_broadcast_seconds_count{policy="p",service="model-server"} ${t}`,
      ].join('\n');
  }
}

async function exporter(role: string, i: number): Promise<string> {
  const port = await freePort('127.0.0.1');
  const server = createServer((_req, res) => res.end(`${exposition(role, i)}\n`));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `127.0.0.1:${port}`;
}

/** Prometheus scraping the exporters every 0.5 s; resolves with its base URL once it answers. */
async function startPrometheus(dir: string, targets: { target: string; instance: string }[]): Promise<string> {
  const sd = targets.map((t) => ({ targets: [t.target], labels: { instance: t.instance, namespace: 'reverie' } }));
  await writeFile(join(dir, 'targets.json'), JSON.stringify(sd));
  const config = `global:\n  scrape_interval: 500ms\n  scrape_timeout: 500ms\nscrape_configs:\n  - job_name: reverie\n    file_sd_configs:\n      - files: [${JSON.stringify(join(dir, 'targets.json'))}]\n`;
  await writeFile(join(dir, 'prometheus.yml'), config);
  const port = await freePort('127.0.0.1');
  let log = '';
  prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  prometheus.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  prometheus.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (!(await fetch(`${url}/-/ready`).then((r) => r.ok, () => false))) {
    if (prometheus.exitCode !== null || Date.now() > deadline) throw new Error(`prometheus did not start (is it on PATH? apt-get install prometheus):\n${log}`);
    await delay(100);
  }
  return url;
}

describe('a measurement window read from a real Prometheus', () => {
  it('gives the known rates per actor pod, the learner counters and histogram figures', async () => {
    const targets = [
      { target: await exporter('actor', 0), instance: 'actor-scale-0-abc' },
      { target: await exporter('actor', 1), instance: 'actor-scale-1-def' },
      { target: await exporter('learner', 0), instance: 'learner-0' },
      { target: await exporter('model-server', 0), instance: 'model-server-xyz' },
    ];
    const url = await startPrometheus(await dirs.make(), targets);
    const SECONDS = 2;
    // Scrapes before and after the window: it ends 1 s ago, so scrapes after it are in.
    const deadline = Date.now() + 20_000;
    while ((await promQuery(url, 'count(count_over_time(reverie_learner_updates_total[1m]) >= 8)', Date.now() / 1000)).length === 0) {
      if (Date.now() > deadline) throw new Error('Prometheus did not scrape the exporters 8 times within 20 s');
      await delay(250);
    }
    const w = await new PrometheusWindow(url, Date.now() / 1000 - 1, SECONDS, { namespace: 'reverie' }).read();

    const near = (x: number, want: number, what: string): void => {
      expect(x / want, `${what}: ${x} vs ${want}`).toBeGreaterThan(0.85);
      expect(x / want, `${what}: ${x} vs ${want}`).toBeLessThan(1.15);
    };
    expect(w.seconds).toBe(SECONDS);
    expect(w.actorSteps).toHaveLength(2);
    const [slow, fast] = [...w.actorSteps].sort((a, b) => a - b);
    near(slow, 1000 * SECONDS, 'actor 1 steps');
    near(fast, 2000 * SECONDS, 'actor 2 steps');
    near(w.actorCpuSeconds, 2 * 0.5 * SECONDS, 'actor CPU (service="actor" only)');
    near(w.learnerSteps, 3000 * SECONDS, 'learner steps');
    near(w.learnerUpdates, 100 * SECONDS, 'updates');
    near(w.learnerCpuSeconds, 0.8 * SECONDS, 'learner CPU');
    near(w.publishes, SECONDS, 'publishes (result="ok" only)');
    expect(w.weightsBytes).toBe(70248);
    expect(w.policyLag.buckets.map((b) => b.le)).toEqual([0, 1, Infinity]);

    const r = pointResult({ actors: 2, envsPerActor: 16 }, w, { loadAverage1m: null, notes: [] });
    near(r.envStepsPerSecond, 3000, 'env-steps/s');
    near(r.policyLagMean!, 0.75, 'policy lag mean (source="learner" only)');
    near(r.policyLagP95!, (3.8 - 1) / 3, 'policy lag p95');
    near(r.broadcastMeanMs!, 20, 'broadcast mean ms');
    near(r.weightsApplyMeanMs!, 5, 'apply mean ms');
    await expect(promQuery(url, 'sum(', Date.now() / 1000)).rejects.toThrow(/answered HTTP 400 to sum\(/);
  }, 40_000);

  it('names Prometheus when it cannot be reached', async () => {
    const port = await freePort('127.0.0.1');
    await expect(promQuery(`http://127.0.0.1:${port}`, 'up', Date.now() / 1000)).rejects.toThrow(new RegExp(`cannot reach Prometheus at http://127.0.0.1:${port}`));
    await expect(promQuery(`http://127.0.0.1:${port}`, 'up', Date.now() / 1000)).rejects.toBeInstanceOf(PrometheusError);
  });
});
