/**
 * DQN from @reverie/agents as a LearnerAlgorithm: double-DQN targets, Polyak target network, Adam,
 * uniform replay. Exploration (epsilon) is the actors' business; the learner only fits Q.
 */
import { npRandom, type NumpyGenerator, type NumpyGeneratorState, type TransitionBatch, type TransitionReplay } from '@reverie/core';
import { DQN, qNetworkPolicyWeights, type DqnBatch } from '@reverie/agents';
import { loadInto, saveVariables, tf } from '@reverie/nn';
import type { StepBatch } from '../ingest/stepBatch.js';
import { restoreOptimizer, saveOptimizer } from './optimizerState.js';
import { TransitionStore } from './transitionStore.js';
import type { AlgorithmEnv, AlgorithmParts, LearnerAlgorithm } from './types.js';

export interface DqnAlgorithmOptions {
  hidden: number[];
  lr: number;
  gamma: number;
  /** Polyak factor of the target network per update. */
  tau: number;
  batchSize: number;
  replayCapacity: number;
  /** Transitions in replay before the first update. */
  learningStarts: number;
  seed: number;
}

export const DQN_DEFAULTS: DqnAlgorithmOptions = {
  hidden: [128, 128],
  lr: 1e-3,
  gamma: 0.99,
  tau: 0.01,
  batchSize: 64,
  replayCapacity: 100_000,
  learningStarts: 1000,
  seed: 0,
};

export class DqnAlgorithm implements LearnerAlgorithm {
  readonly name = 'dqn';
  private readonly dqn: DQN;
  private readonly store: TransitionStore;
  private readonly batch: TransitionBatch;
  private readonly rng: NumpyGenerator;

  constructor(readonly env: AlgorithmEnv, readonly options: DqnAlgorithmOptions) {
    const o = options;
    this.dqn = new DQN({
      stateSize: env.obsSize,
      numActions: env.numActions,
      hidden: o.hidden,
      lr: o.lr,
      gamma: o.gamma,
      target: { kind: 'polyak', tau: o.tau },
      seed: o.seed,
    });
    this.store = new TransitionStore(o.replayCapacity, env.obsSize);
    this.batch = this.store.replay.createBatch(o.batchSize);
    this.rng = npRandom(o.seed).rng;
  }

  get replaySize(): number {
    return this.store.size;
  }

  get samplesPerUpdate(): number {
    return this.options.batchSize;
  }

  get updates(): number {
    return this.dqn.updates;
  }

  /** The agent itself (its online network acts in model rollouts). */
  get agent(): DQN {
    return this.dqn;
  }

  /** The replay of real transitions `update` samples from. */
  get realReplay(): TransitionReplay {
    return this.store.replay;
  }

  ingest(batch: StepBatch): void {
    this.store.addBatch(batch);
  }

  ready(): boolean {
    return this.store.size >= Math.max(this.options.learningStarts, 1);
  }

  update(): Record<string, number> {
    return this.updateOn(this.sampleReal());
  }

  /** A minibatch of real transitions (a buffer reused by the next call). */
  sampleReal(): DqnBatch {
    return this.store.replay.sample(this.options.batchSize, this.rng, this.batch);
  }

  /** One update on a batch the caller drew (e.g. real and model-generated rows mixed; γ^k for k-step rows). */
  updateOn(batch: DqnBatch, gamma?: number): Record<string, number> {
    return { td: this.dqn.update(batch, true, gamma) };
  }

  policyWeights(metadata?: Readonly<Record<string, string>>): Uint8Array {
    return qNetworkPolicyWeights(this.dqn.online, metadata);
  }

  async state(): Promise<AlgorithmParts> {
    // Everything but the optimiser is read before the first await, i.e. in the caller's tick.
    const parts: AlgorithmParts = {
      'replay.safetensors': this.store.toSafetensors(),
      'online.safetensors': saveVariables(this.dqn.online.named('online')),
      'target.safetensors': saveVariables(this.dqn.target.named('target')),
      'dqn.json': new TextEncoder().encode(JSON.stringify({ updates: this.dqn.updates, rng: this.rng.getState() })),
    };
    parts['optimizer.safetensors'] = await saveOptimizer(this.optimizer());
    return parts;
  }

  async restore(parts: AlgorithmParts): Promise<void> {
    const part = (name: string): Uint8Array => {
      const bytes = parts[name];
      if (bytes === undefined) throw new Error(`dqn checkpoint: '${name}' is missing`);
      return bytes;
    };
    loadInto(this.dqn.online.named('online'), part('online.safetensors'));
    loadInto(this.dqn.target.named('target'), part('target.safetensors'));
    await restoreOptimizer(this.optimizer(), part('optimizer.safetensors'));
    this.store.restore(part('replay.safetensors'));
    const counters = JSON.parse(new TextDecoder().decode(part('dqn.json'))) as { updates: number; rng: NumpyGeneratorState };
    this.dqn.updates = counters.updates;
    this.rng.setState(counters.rng);
  }

  dispose(): void {
    this.dqn.dispose();
  }

  /**
   * DQN keeps its Adam optimiser private; checkpoints need its moments. Read it by name and check
   * what came back, so a change in @reverie/agents fails loudly here rather than silently.
   */
  private optimizer(): tf.Optimizer {
    const opt: unknown = Reflect.get(this.dqn, 'optimizer');
    if (!(opt instanceof tf.Optimizer)) throw new Error('dqn checkpoint: DQN no longer exposes its optimiser as `optimizer`');
    return opt;
  }
}
