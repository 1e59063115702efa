import { afterAll, describe, expect, it } from 'vitest';
import { make } from '@reverie/envs';
import { decodePolicy, type Policy } from '@reverie/policy';
import { startLearner, type RunningLearner } from '../src/index.js';
import { ChunkCollector, learnerClient, pushStream, RecordingPublisher, waitFor } from './helpers.js';

/** Mean undiscounted return of the greedy policy over `episodes` CartPole episodes (fixed seeds). */
function evaluate(policy: Policy, episodes: number): number {
  const env = make('CartPole-v1');
  const action = new Int32Array(1);
  let total = 0;
  for (let e = 0; e < episodes; e++) {
    let { observation } = env.reset({ seed: 1000 + e });
    for (;;) {
      if (!(observation instanceof Float32Array)) throw new Error('CartPole observations are Float32Arrays');
      policy.act(observation, 1, action);
      const step = env.step(action[0]);
      total += step.reward;
      observation = step.observation;
      if (step.terminated || step.truncated) break;
    }
  }
  return total / episodes;
}

describe('DQN learns CartPole from chunks pushed over gRPC', () => {
  let running: RunningLearner | undefined;
  afterAll(async () => running?.close({ checkpoint: false }));

  it('publishes a policy that beats a random one by far (mean greedy return >= 150 over 10 episodes)', async () => {
    const publisher = new RecordingPublisher();
    running = await startLearner(
      { grpcPort: 0, logLevel: 'silent', hidden: [64, 64], learningStarts: 500, publishEvery: 200, updatesPerStep: 1, seed: 0 },
      { publisher },
    );
    const learner = running.learner;
    const client = learnerClient(running.address);
    const actor = new ChunkCollector('CartPole-v1', 4, 32, 7, 'learning-actor');
    const randomPolicyReturn = evaluate(decodePolicy(publisher.latest!.bytes), 10);

    const maxSteps = 6144;
    let best = 0;
    let losses: number[] = [];
    for (let steps = 0; steps < maxSteps && best < 150; ) {
      const policy = decodePolicy(publisher.latest!.bytes);
      const epsilon = Math.max(0.05, 1 - steps / 3000);
      const version = publisher.latest!.metadata.version;
      const res = await pushStream(client, [actor.collect((obs, n, out) => policy.act(obs, n, out), epsilon, { policy: version, latest: version })]);
      expect(res.error).toBeUndefined();
      steps += 128;
      // The learner trains concurrently; wait until it has done its share (one update per step).
      await waitFor(() => !learner.parts.algorithm.ready() || learner.parts.algorithm.updates >= steps, 30_000, 'updates');
      losses.push(Number((await running.registry.getSingleMetric('reverie_learner_loss')?.get())?.values[0]?.value ?? NaN));
      if (steps % 1024 === 0) best = Math.max(best, evaluate(decodePolicy(publisher.latest!.bytes), 10));
    }
    client.close();
    losses = losses.filter(Number.isFinite);
    expect(randomPolicyReturn).toBeLessThan(60);
    expect(best).toBeGreaterThanOrEqual(150);
    // Versions increase with every publish.
    const versions = publisher.received.map((r) => r.metadata.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(losses.length).toBeGreaterThan(0);
  }, 60_000);
});
