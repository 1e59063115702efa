import { encodePolicyWeights } from '@reverie/policy';
import { createLogger } from '@reverie/telemetry';
import { connectNats, decodeTensor, openWeightsStore, publishWeights, sha256Hex, startNatsServer, type RunningNatsServer } from '@reverie/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startActor, type RunningActor } from '../src/service/actorService.js';
import { defaultConfig, type ActorConfig } from '../src/service/config.js';
import { TestLearner } from './testLearner.js';

async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Q(0) = 0, Q(1) = angle + 0.5 angular velocity: keeps CartPole up far longer than chance. */
function leaningWeights(): Uint8Array {
  const weight = new Float32Array(8);
  weight[2 * 2 + 1] = 1;
  weight[3 * 2 + 1] = 0.5;
  return encodePolicyWeights({ kind: 'mlp-q', obsShape: [4], numActions: 2, hidden: [], activation: 'relu' }, { 'l0.weight': weight, 'l0.bias': new Float32Array(2) });
}

/** A metric's value from the Prometheus text format (the sum over its label sets). */
function metricValue(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('actor service (real gRPC learner, real nats-server)', () => {
  let nats: RunningNatsServer;
  let learner: TestLearner;
  let actor: RunningActor;
  let config: ActorConfig;

  beforeAll(async () => {
    nats = await startNatsServer();
    learner = new TestLearner();
    const address = await learner.start();
    config = {
      ...defaultConfig(),
      actorId: 'actor-e2e',
      numEnvs: 8,
      workers: 2,
      chunkSteps: 16,
      window: 2,
      epsilon: 0,
      policy: 'cartpole-v1-dqn',
      learner: { address, token: '' },
      nats: { url: nats.url, user: '', password: '' },
      metricsPort: 0,
    };
    actor = await startActor(config, { logger: createLogger({ service: 'actor', level: 'silent' }) });
  });

  afterAll(async () => {
    await actor?.close();
    await learner?.server?.close(0);
    await nats?.stop();
  });

  it('streams chunks with uniform actions before any weights, then acts with published weights', async () => {
    await until('two chunks stored', () => learner.stored.size >= 2);
    const first = learner.stored.get(0);
    expect([first?.actorId.replace(/#[0-9a-f]{8}$/, '#…'), first?.envId, first?.numEnvs, first?.numSteps, Number(first?.policyVersion)]).toEqual(['actor-e2e#…', 'CartPole-v1', 8, 16, 0]);

    const nc = await connectNats({ url: nats.url, name: 'test-publisher' });
    const bytes = leaningWeights();
    const metadata = { policy: config.policy, version: 3, algo: 'dqn', envId: 'CartPole-v1', sha256: sha256Hex(bytes), sizeBytes: bytes.byteLength, createdUnixMs: Date.now(), labels: {} };
    await publishWeights(nc, () => openWeightsStore(nc), metadata, bytes);
    await nc.drain();

    const withV3 = () => [...learner.stored.values()].filter((c) => Number(c.policyVersion) === 3);
    await until('a chunk acted with version 3', () => withV3().length >= 4);
    const text = await (await fetch(actor.metricsUrl)).text();
    expect(metricValue(text, 'reverie_actor_policy_version')).toBe(3);
    expect(metricValue(text, 'reverie_actor_env_steps_total')).toBeGreaterThanOrEqual(8 * 16 * 6);
    expect(metricValue(text, 'reverie_actor_chunks_acked_total')).toBeGreaterThanOrEqual(6);
    expect(metricValue(text, 'reverie_actor_weights_apply_seconds_count')).toBe(1);
    expect(metricValue(text, 'reverie_actor_episodes_total')).toBeGreaterThan(0);
    expect(metricValue(text, 'reverie_actor_episode_return_count')).toBe(metricValue(text, 'reverie_actor_episodes_total'));
    // epsilon 0 once weights arrived: every action of a version-3 chunk is the leaning policy's choice.
    for (const chunk of withV3()) {
      const obs = decodeTensor(chunk.observations, { name: 'observations', dtype: 'float32', shape: [16, 8, 4] }).array;
      const actions = decodeTensor(chunk.actions, { name: 'actions', dtype: 'int32', shape: [16, 8] }).array;
      const expected = Array.from(actions, (_, r) => (Math.fround(obs[r * 4 + 2] + Math.fround(0.5 * obs[r * 4 + 3])) > 0 ? 1 : 0));
      expect(Array.from(actions)).toEqual(expected);
    }
    // Before: uniform actions, both of them.
    const v0Actions = decodeTensor(first?.actions, { name: 'actions', dtype: 'int32', shape: [16, 8] }).array;
    expect(new Set(v0Actions)).toEqual(new Set([0, 1]));
    const ready = await fetch(actor.metricsUrl.replace('/metrics', '/readyz'));
    expect(ready.status).toBe(200);
  });

  it('closes with every sent chunk acknowledged, each stored once', async () => {
    await actor.close();
    const text = await fetch(actor.metricsUrl).then(
      () => 'still serving',
      () => 'closed',
    );
    expect(text).toBe('closed');
    const sequences = [...learner.stored.keys()].sort((a, b) => a - b);
    expect(sequences).toEqual(sequences.map((_, i) => i));
    await expect(actor.done).resolves.toBeUndefined();
  });
});
