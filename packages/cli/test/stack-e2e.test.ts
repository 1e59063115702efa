/**
 * The real distributed stack (services/*\/dist, built by `npx tsc -b`): nats-server, model-server,
 * learner and two CartPole actors as processes, then `reverie simulate` against the model-server.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStackUpOptions } from '../src/commands/stack.js';
import type { SimulateReport } from '../src/commands/simulate-report.js';
import { bufferIO } from '../src/io.js';
import { runCli } from '../src/program.js';
import { startStack, type RunningStack } from '../src/stack/stack.js';
import { metricSum, scrape, tempDirs, until } from './stack-helpers.js';

const dirs = tempDirs('reverie-stack-e2e-');
const tempDir = dirs.make;
afterAll(dirs.removeAll);

describe('reverie stack up with the real services', () => {
  it('trains CartPole across processes while simulate acts with ever newer weights; every /metrics answers', async () => {
    const dataDir = await tempDir();
    const config = parseStackUpOptions(
      { actors: '2', envsPerActor: '2', workersPerActor: '1', env: 'CartPole-v1', algo: 'dqn', dataDir, seed: '0', readyTimeoutMs: '30000', stopTimeoutMs: '10000' },
      {},
    );
    const output: string[] = [];
    const notices: string[] = [];
    const stack: RunningStack = await startStack(config, { log: (name, _s, line) => output.push(`${name} | ${line}`), notice: (t) => notices.push(t) });
    try {
      const { modelServer, learner, actors } = stack.endpoints;
      expect(actors).toHaveLength(2);
      const modelVersion = async (): Promise<number> => metricSum(await scrape(modelServer.metrics!), 'reverie_model_latest_version');

      // Trajectories reach the learner and the learner's weights reach the model-server.
      await until('learner env steps > 0 and model version >= 2', async () => {
        const steps = metricSum(await scrape(learner.metrics!), 'reverie_learner_env_steps_total');
        return steps > 0 && (await modelVersion()) >= 2;
      }, 40_000);
      const before = await modelVersion();

      const out = await tempDir();
      const io = bufferIO();
      expect(await runCli(['simulate', '--target', modelServer.grpc!, '--episodes', '3', '--out', out], io), io.err.join('')).toBe(0);
      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as SimulateReport;
      expect(report.episodes).toBe(3);
      expect(Math.min(...report.versions.seen)).toBeGreaterThanOrEqual(before);
      expect(report.latencyMs!.p50).toBeGreaterThan(0);

      await until('the model-server version to advance', async () => (await modelVersion()) > before, 20_000);

      for (const [name, url, counter] of [
        ['model-server', modelServer.metrics!, 'reverie_policy_requests_total'],
        ['learner', learner.metrics!, 'reverie_learner_updates_total'],
        ...actors.map((a) => [a.name, a.metrics!, 'reverie_actor_env_steps_total'] as const),
      ] as const) {
        const text = await scrape(url);
        expect(text, name).toMatch(/^reverie_\w+/m);
        expect(metricSum(text, counter), `${name} ${counter}`).toBeGreaterThan(0);
      }
      expect(notices).toEqual([]);
    } catch (e) {
      throw new Error(`${(e as Error).message}\nlast stack output:\n${output.slice(-40).join('\n')}`);
    } finally {
      const outcomes = await stack.stop();
      expect(outcomes.map((o) => o.name)).toEqual(['actor-1', 'actor-2', 'learner', 'model-server', 'nats-server']);
    }
  }, 90_000);
});
