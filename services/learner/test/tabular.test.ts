import { afterAll, describe, expect, it } from 'vitest';
import { make } from '@reverie/envs';
import { decodePolicy, type Policy } from '@reverie/policy';
import { encodeTensor, GrpcStatus } from '@reverie/transport';
import { startLearner, type RunningLearner } from '../src/index.js';
import { ChunkCollector, learnerClient, pushStream, RecordingPublisher, waitFor } from './helpers.js';

/** Fraction of FrozenLake-v1 (slippery 4x4) episodes the greedy policy finishes at the goal. */
function successRate(policy: Policy, episodes: number): number {
  const env = make('FrozenLake-v1');
  const obs = new Float32Array(1);
  const action = new Int32Array(1);
  let wins = 0;
  for (let e = 0; e < episodes; e++) {
    obs[0] = Number(env.reset({ seed: 500 + e }).observation);
    for (;;) {
      policy.act(obs, 1, action);
      const step = env.step(action[0]);
      obs[0] = Number(step.observation);
      if (step.terminated || step.truncated) {
        wins += step.reward;
        break;
      }
    }
  }
  return wins / episodes;
}

describe('tabular Q-learning on the learner', () => {
  const runs: RunningLearner[] = [];
  afterAll(async () => {
    for (const r of runs) await r.close({ checkpoint: false });
  });

  it('learns slippery FrozenLake from random-policy chunks pushed over gRPC', async () => {
    const publisher = new RecordingPublisher();
    const running = await startLearner(
      { grpcPort: 0, logLevel: 'silent', algo: 'q-learning', env: 'FrozenLake-v1', gamma: 0.99, alpha: 0.05, learningStarts: 256, batchSize: 32, publishEvery: 100 },
      { publisher },
    );
    runs.push(running);
    const client = learnerClient(running.address);
    const actor = new ChunkCollector('FrozenLake-v1', 8, 64, 3, 'lake-actor');
    const chunks = Array.from({ length: 40 }, () => actor.collect());
    expect((await pushStream(client, chunks)).acks).toHaveLength(40);
    const steps = 40 * 8 * 64;
    await waitFor(() => running.learner.parts.algorithm.updates >= steps, 60_000, 'one update per stored step');
    await running.learner.publish();
    const policy = decodePolicy(publisher.latest!.bytes);
    expect(policy.spec.kind).toBe('q-table');
    const randomWins = actor.returns.filter((r) => r > 0).length / actor.returns.length;
    expect(randomWins).toBeLessThan(0.05);
    expect(successRate(policy, 200)).toBeGreaterThan(0.5);
    client.close();
  });

  it('refuses observations that are not states of the Discrete space', async () => {
    const running = await startLearner({ grpcPort: 0, logLevel: 'silent', algo: 'dyna-q', env: 'Taxi-v3', learningStarts: 1_000_000 });
    runs.push(running);
    const client = learnerClient(running.address);
    const good = new ChunkCollector('Taxi-v3', 2, 4, 1).collect();
    const res = await pushStream(client, [{ ...good, observations: encodeTensor(new Float32Array(8).fill(500), [4, 2, 1]) }]);
    expect(res.error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(res.error?.details).toMatch(/observations: element 0 is 500, not a state of Discrete\(500\)/);
    client.close();
  });

  it('refuses an algorithm that does not fit the env', async () => {
    await expect(startLearner({ grpcPort: 0, logLevel: 'silent', algo: 'dqn', env: 'Taxi-v3' })).rejects.toThrow(/dqn needs a Box observation space; Taxi-v3 has Discrete\(500\)/);
  });
});
