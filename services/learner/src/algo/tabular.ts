/**
 * Tabular Q-learning and Dyna-Q from @reverie/tabular as a LearnerAlgorithm, for envs with Discrete
 * observations (Taxi-v3, FrozenLake-v1, ...). Each update replays a batch of stored transitions
 * through the agent (one Q-learning backup each, plus Dyna-Q's planning backups on its model).
 */
import { decodeSafetensors, encodeSafetensors, npRandom, type NumpyGenerator, type NumpyGeneratorState, type TransitionBatch } from '@reverie/core';
import { DynaQ, qTablePolicyWeights } from '@reverie/tabular';
import type { StepBatch } from '../ingest/stepBatch.js';
import { TransitionStore } from './transitionStore.js';
import type { AlgorithmEnv, AlgorithmParts, LearnerAlgorithm } from './types.js';

export interface TabularAlgorithmOptions {
  alpha: number;
  gamma: number;
  /** Dyna-Q planning backups per replayed transition; 0 is plain Q-learning. */
  planningSteps: number;
  batchSize: number;
  replayCapacity: number;
  learningStarts: number;
  seed: number;
}

export class TabularAlgorithm implements LearnerAlgorithm {
  readonly name: string;
  private readonly agent: DynaQ;
  private readonly store: TransitionStore;
  private readonly batch: TransitionBatch;
  private readonly rng: NumpyGenerator;
  private updateCount = 0;

  constructor(readonly env: AlgorithmEnv & { numStates: number }, readonly options: TabularAlgorithmOptions) {
    this.name = options.planningSteps > 0 ? 'dyna-q' : 'q-learning';
    // epsilon 0: the agent never acts here; exploration is the actors' business.
    this.agent = new DynaQ({ numStates: env.numStates, numActions: env.numActions, alpha: options.alpha, gamma: options.gamma, epsilon: 0, planningSteps: options.planningSteps, seed: options.seed });
    this.store = new TransitionStore(options.replayCapacity, 1);
    this.batch = this.store.replay.createBatch(options.batchSize);
    this.rng = npRandom(options.seed).rng;
  }

  get replaySize(): number {
    return this.store.size;
  }

  get updates(): number {
    return this.updateCount;
  }

  get samplesPerUpdate(): number {
    return this.options.batchSize;
  }

  ingest(batch: StepBatch): void {
    this.store.addBatch(batch);
  }

  ready(): boolean {
    return this.store.size >= Math.max(this.options.learningStarts, 1);
  }

  /** Replays a batch; the loss is the mean |TD error| seen, recovered from each backup's step. */
  update(): Record<string, number> {
    const b = this.store.replay.sample(this.options.batchSize, this.rng, this.batch);
    const { q, numActions, alpha } = this.agent;
    let sum = 0;
    for (let i = 0; i < b.size; i++) {
      const sa = b.obs[i] * numActions + b.actions[i];
      const before = q[sa];
      this.agent.observe(b.obs[i], b.actions[i], b.rewards[i], b.nextObs[i], b.terminated[i] === 1);
      sum += Math.abs(q[sa] - before) / alpha;
    }
    this.updateCount++;
    return { td: sum / b.size };
  }

  policyWeights(metadata?: Readonly<Record<string, string>>): Uint8Array {
    return qTablePolicyWeights(this.agent, metadata);
  }

  async state(): Promise<AlgorithmParts> {
    const counters = { updates: this.updateCount, rng: this.rng.getState() };
    return {
      'replay.safetensors': this.store.toSafetensors(),
      'q.safetensors': encodeSafetensors({ q: { dtype: 'F64', shape: [this.agent.numStates, this.agent.numActions], data: Float64Array.from(this.agent.q) } }),
      'tabular.json': new TextEncoder().encode(JSON.stringify(counters)),
    };
  }

  /** Restores Q, replay and counters; Dyna-Q's model is rebuilt from the replay (oldest first). */
  async restore(parts: AlgorithmParts): Promise<void> {
    const part = (name: string): Uint8Array => {
      const bytes = parts[name];
      if (bytes === undefined) throw new Error(`${this.name} checkpoint: '${name}' is missing`);
      return bytes;
    };
    const q = decodeSafetensors(part('q.safetensors')).tensors.q;
    if (q === undefined || !(q.data instanceof Float64Array) || q.data.length !== this.agent.q.length) {
      throw new Error(`${this.name} checkpoint: q must be F64 [${this.agent.numStates}, ${this.agent.numActions}]`);
    }
    this.agent.q.set(q.data);
    this.store.restore(part('replay.safetensors'));
    const r = this.store.replay;
    for (let i = 0; i < r.size; i++) {
      this.agent.model.record(r.obs[i] * this.agent.numActions + r.actions[i], r.rewards[i], r.nextObs[i], r.terminated[i] === 1);
    }
    const counters = JSON.parse(new TextDecoder().decode(part('tabular.json'))) as { updates: number; rng: NumpyGeneratorState };
    this.updateCount = counters.updates;
    this.rng.setState(counters.rng);
  }

  dispose(): void {}
}
