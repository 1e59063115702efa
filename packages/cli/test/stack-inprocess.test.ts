/**
 * `reverie stack up --in-process`: model-server, learner and actors in the test's own process, joined
 * by in-process transports (no NATS), with their gRPC and /metrics endpoints on loopback.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStackUpOptions, runStackUp } from '../src/commands/stack.js';
import type { SimulateReport } from '../src/commands/simulate-report.js';
import { bufferIO } from '../src/io.js';
import { runCli } from '../src/program.js';
import { metricSum, readyPayload, scrape, tempDirs, until } from './stack-helpers.js';

const dirs = tempDirs('reverie-inprocess-');
const tempDir = dirs.make;
afterAll(dirs.removeAll);

async function metric(url: string, name: string): Promise<number> {
  return metricSum(await scrape(url), name);
}

interface Ready {
  nats: string | null;
  modelServer: { grpc: string; metrics: string; pid: number };
  learner: { grpc: string; metrics: string; pid: number };
  actors: { name: string; grpc: string | null; metrics: string; pid: number }[];
}

describe('reverie stack up --in-process', () => {
  it('trains in one process without NATS: chunks reach the learner, versions reach the model-server, simulate acts', async () => {
    const dataDir = await tempDir();
    // A NATS_URL in the environment does not matter in one process.
    const config = parseStackUpOptions({ inProcess: true, actors: '2', envsPerActor: '2', workersPerActor: '1', env: 'CartPole-v1', algo: 'dqn', dataDir, seed: '0', readyTimeoutMs: '30000', stopTimeoutMs: '10000' }, { NATS_URL: 'nats://127.0.0.1:1' });
    expect(config.natsUrl).toBeNull();
    const io = bufferIO();
    const controller = new AbortController();
    const running = runStackUp(config, io, { signal: controller.signal, onForce: () => undefined });
    try {
      await until('READY', () => readyPayload(io.out.join('')) !== undefined, 30_000);
      const ready = readyPayload<Ready>(io.out.join(''))!;
      expect(ready.nats).toBeNull();
      expect(ready.actors.map((a) => a.name)).toEqual(['actor-1', 'actor-2']);
      for (const ep of [ready.modelServer, ready.learner, ...ready.actors]) expect(ep.pid).toBe(process.pid);

      await until('learner env steps > 0 and model version >= 2', async () => {
        const steps = await metric(ready.learner.metrics, 'reverie_learner_env_steps_total');
        return steps > 0 && (await metric(ready.modelServer.metrics, 'reverie_model_latest_version')) >= 2;
      }, 40_000);
      for (const a of ready.actors) {
        expect(await metric(a.metrics, 'reverie_actor_env_steps_total')).toBeGreaterThan(0);
        // Weights came over the in-process feed: the actor acts with a published version.
        expect(await metric(a.metrics, 'reverie_actor_policy_version')).toBeGreaterThanOrEqual(1);
      }

      const out = await tempDir();
      const sim = bufferIO();
      expect(await runCli(['simulate', '--target', ready.modelServer.grpc, '--episodes', '2', '--out', out], sim), sim.err.join('')).toBe(0);
      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as SimulateReport;
      expect(Math.min(...report.versions.seen)).toBeGreaterThanOrEqual(2);
    } finally {
      controller.abort('test done');
      await running;
    }
    const notices = io.err.join('');
    expect(notices).toMatch(/test done: stopping actors, learner, model-server\n/);
    for (const name of ['actor-1', 'actor-2', 'learner', 'model-server']) expect(notices).toContain(`${name} stopped (closed)`);
    expect(notices.indexOf('learner stopped')).toBeLessThan(notices.indexOf('model-server stopped'));
  }, 90_000);

  it('refuses --nats-url with --in-process', async () => {
    const io = bufferIO();
    expect(await runCli(['stack', 'up', '--in-process', '--nats-url', 'nats://127.0.0.1:4222'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/--nats-url does not go with --in-process/);
  });
});
