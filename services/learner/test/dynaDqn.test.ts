import { initBackend, tf } from '@reverie/nn';
import { npRandom } from '@reverie/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createAlgorithm,
  decodeChunk,
  DQN_DEFAULTS,
  DynaDqnAlgorithm,
  envSpecOf,
  LearnerConfigError,
  resolveConfig,
  type ChunkSpec,
  type StepBatch,
} from '../src/index.js';
import { ChunkCollector } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const cartPole = envSpecOf('CartPole-v1');
const spec: ChunkSpec = { envId: cartPole.envId, obsSize: cartPole.obsSize, numActions: cartPole.numActions, maxSteps: 1 << 16 };
/** Small networks and a short model training, so the file runs in seconds. */
const small = {
  ...DQN_DEFAULTS,
  hidden: [32],
  batchSize: 32,
  learningStarts: 500,
  modelHidden: 32,
  modelMembers: 3,
  modelTrainSteps: 100,
  modelBatchSize: 64,
  modelTrainEvery: 150,
  rolloutStarts: 128,
  rolloutEvery: 50,
};

/** Chunks of 1,000 random-policy CartPole-v1 steps (8 envs × 125 steps each). */
function randomChunks(count: number, seed: number): StepBatch[] {
  const actor = new ChunkCollector('CartPole-v1', 8, 125, seed);
  return Array.from({ length: count }, () => decodeChunk(actor.collect(), spec));
}

/** Runs n updates; returns the model losses reported among them. */
function run(algo: DynaDqnAlgorithm, n: number): number[] {
  const model: number[] = [];
  for (let i = 0; i < n; i++) {
    const losses = algo.update();
    expect(Number.isFinite(losses.td)).toBe(true);
    if (losses.model !== undefined) model.push(losses.model);
  }
  return model;
}

describe('dyna-dqn on the learner', () => {
  it('trains the model, branches rollouts into mixed minibatches, and holds tensor memory flat', async () => {
    const algo = new DynaDqnAlgorithm(cartPole, small);
    const [first, ...rest] = randomChunks(3, 5);
    algo.ingest(first);
    expect(algo.ready()).toBe(true);
    // The first update starts a model training; until it is done every row is real.
    const modelLosses = run(algo, 1);
    expect(algo.modelTrainings).toBe(1);
    expect(algo.syntheticSize).toBe(0);
    expect(algo.lastSyntheticRows).toBe(0);
    await algo.modelIdle();
    modelLosses.push(...run(algo, 1));
    expect(modelLosses).toHaveLength(1);
    expect(algo.lastRollout?.added).toBeGreaterThan(0);
    expect(algo.syntheticSize).toBe(algo.lastRollout?.added);
    expect(algo.lastSyntheticRows).toBe(16);
    modelLosses.push(...run(algo, 100)); // warm-up: optimiser moments, a periodic rollout

    const before = tf.memory().numTensors;
    // Further trainings start every modelTrainEvery (150) updates, counted from the start of the last.
    for (const [k, chunk] of rest.entries()) {
      const synthetic = algo.syntheticSize;
      algo.ingest(chunk);
      const trainings = algo.modelTrainings;
      while (algo.modelTrainings === trainings) modelLosses.push(...run(algo, 1));
      expect(algo.updates).toBe(150 * (k + 1) + 1);
      expect(algo.modelTrainings).toBe(modelLosses.length + 1);
      await algo.modelIdle();
      modelLosses.push(...run(algo, 120));
      expect(algo.syntheticSize).toBeGreaterThan(synthetic);
      expect(algo.lastSyntheticRows).toBe(16);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(algo.updates).toBe(300 + 1 + 120);
    // Three trainings, warm-started: the held-out loss of the last is below the first's.
    expect(modelLosses).toHaveLength(3);
    expect(modelLosses.every(Number.isFinite)).toBe(true);
    expect(modelLosses[2]).toBeLessThan(modelLosses[0]);
    algo.dispose();
  });

  it('restores Q-network, ensemble, counters and schedule from state(), and disposes everything', async () => {
    const baseline = tf.memory().numTensors;
    const [chunk] = randomChunks(1, 9);
    const a = new DynaDqnAlgorithm(cartPole, small);
    a.ingest(chunk);
    run(a, 20); // the first one starts a model training
    // Taken while the training may still be in flight: state() waits for it and saves its model.
    const parts = await a.state();
    expect(Object.keys(parts).sort()).toEqual(['dqn.json', 'dyna.json', 'model.safetensors', 'online.safetensors', 'optimizer.safetensors', 'replay.safetensors', 'target.safetensors']);

    const n = 16;
    const states = chunk.obs.slice(0, n * cartPole.obsSize);
    const actions = Float32Array.from({ length: n }, (_, i) => i % 2);
    const q = (x: DynaDqnAlgorithm) => x.agent.online.qValues(states, n);
    const predict = (x: DynaDqnAlgorithm) => {
      const p = x.model.predict(states, actions, n);
      return [p.nextStates, p.rewards, p.terminatedProb, p.disagreement];
    };
    const b = new DynaDqnAlgorithm(cartPole, small);
    expect(q(b)).not.toEqual(q(a));
    expect(predict(b)).not.toEqual(predict(a));
    await b.restore(parts);
    expect(q(b)).toEqual(q(a));
    expect(predict(b)).toEqual(predict(a));
    expect([b.updates, b.replaySize, b.modelTrainings]).toEqual([20, 1000, 1]);
    const again = await b.state();
    for (const name of Object.keys(parts)) expect(Buffer.from(again[name]).equals(Buffer.from(parts[name])), name).toBe(true);

    // The synthetic replay is not saved: the next update rebuilds it from the restored model.
    expect(b.syntheticSize).toBe(0);
    run(b, 1);
    expect(b.syntheticSize).toBeGreaterThan(0);
    expect(b.lastSyntheticRows).toBe(16);

    // Disposed with a model training in flight: the model is freed once that training ends.
    const c = new DynaDqnAlgorithm(cartPole, small);
    c.ingest(chunk);
    run(c, 1);
    c.dispose();
    await c.modelIdle();
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it("n-step targets: rows hold k-step returns, and updates alternate between real and synthetic minibatches", async () => {
    const k = 5;
    const algo = new DynaDqnAlgorithm(cartPole, { ...small, rolloutTargets: 'n-step', rolloutHorizon: k });
    const [chunk] = randomChunks(1, 7);
    algo.ingest(chunk);
    run(algo, 1);
    await algo.modelIdle();
    run(algo, 1); // the rollout
    const added = algo.lastRollout?.added ?? 0;
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(small.rolloutStarts); // one row per start, not k
    // CartPole pays 1 per step (the model predicts about that): a row that ran all k steps holds about
    // Σγ^i = (1 − γ^k)/(1 − γ), a shorter one less.
    const full = (1 - DQN_DEFAULTS.gamma ** k) / (1 - DQN_DEFAULTS.gamma);
    const rewards = algo.synthetic.sample(algo.synthetic.size, npRandom(0).rng).rewards;
    expect(Math.max(...rewards)).toBeCloseTo(full, 1);
    expect(Math.min(...rewards)).toBeGreaterThan(0.9);
    const rows = Array.from({ length: 6 }, () => (run(algo, 1), algo.lastSyntheticRows));
    expect(rows).toEqual(algo.updates % 2 === 0 ? [0, 32, 0, 32, 0, 32] : [32, 0, 32, 0, 32, 0]);
    expect(() => new DynaDqnAlgorithm(cartPole, { ...small, rolloutTargets: 'two-step' as 'n-step' })).toThrow(/dyna-dqn rolloutTargets: expected 'one-step' or 'n-step', got two-step/);
    algo.dispose();
  });

  it('takes its config fields and refuses a Discrete-observation env', () => {
    const config = resolveConfig({ algo: 'dyna-dqn', 'real-ratio': '0.25', modelTrainEvery: '500', 'rollout-starts': '64', hidden: '16', 'rollout-targets': 'n-step', 'rollout-horizon': '10' });
    expect([config.realRatio, config.modelTrainEvery, config.rolloutStarts, config.policy]).toEqual([0.25, 500, 64, 'cartpole-v1-dyna-dqn']);
    expect(() => resolveConfig({ 'real-ratio': '1.5' })).toThrow(/config realRatio \(flag --real-ratio\): must be at most 1/);
    expect(() => resolveConfig({ 'rollout-targets': 'two-step' })).toThrow(/rolloutTargets/);
    const algo = createAlgorithm(config, cartPole);
    expect(algo).toBeInstanceOf(DynaDqnAlgorithm);
    expect((algo as DynaDqnAlgorithm).options).toMatchObject({ realRatio: 0.25, modelTrainEvery: 500, rolloutStarts: 64, modelMembers: 5, modelHidden: 128, modelTrainSteps: 200, modelTerminationWeight: 100, rolloutTargets: 'n-step', rolloutHorizon: 10 });
    algo.dispose();

    const taxi = resolveConfig({}, { REVERIE_ALGO: 'dyna-dqn', REVERIE_ENV: 'Taxi-v3' });
    expect(() => createAlgorithm(taxi, envSpecOf('Taxi-v3'))).toThrow(LearnerConfigError);
    expect(() => createAlgorithm(taxi, envSpecOf('Taxi-v3'))).toThrow(/config algo: dyna-dqn needs a Box observation space; Taxi-v3 has Discrete\(500\)/);
  });
});
