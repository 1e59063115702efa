/**
 * Neural Dyna as a LearnerAlgorithm: the DQN of `DqnAlgorithm` also learns from MBPO-style branched
 * rollouts of a probabilistic ensemble retrained (warm start) on the real replay. The pieces are the
 * ones `trainDynaDQN` of @reverie/agents runs in one process: `ProbabilisticEnsemble` and
 * `trainWorldModel` from @reverie/models, `branchedRollouts` and `MixedSampler`.
 *
 * Schedule, driven by the learner's `ingest` and `update` calls:
 * - the model is trained at the first update (replay ≥ learningStarts), then again at the first update
 *   `modelTrainEvery` updates after the previous one started. Counted in updates, not env steps: actors
 *   may deliver far more steps than the learner trains on, and the model's cost should stay a fixed
 *   share of the training work (in the single-process loop, one update per env step, the two agree);
 * - once a training has finished, `rolloutStarts` real states branch `rolloutHorizon` steps through the
 *   model with the online Q-network (epsilon-greedy) as policy, rows cut where the members disagree;
 *   this runs right after each training and every `rolloutEvery` updates;
 * - every update's minibatch is `realRatio` real and the rest synthetic once synthetic data exists.
 *
 * `update()` is synchronous but `trainWorldModel` yields to the event loop between its evaluation
 * windows, so a training runs in the background while updates go on with the synthetic data the
 * previous model made; rollouts wait for it to finish, and `state()` waits for it too.
 */
import { npRandom, TransitionReplay, type NumpyGenerator, type NumpyGeneratorState } from '@reverie/core';
import { branchedRollouts, MixedSampler, nStepRolloutPolicy, resolveDynaOptions, type DQN, type RolloutStats } from '@reverie/agents';
import { loadWorldModelWeights, ProbabilisticEnsemble, saveWorldModel, trainWorldModel, type TrainResult } from '@reverie/models';
import type { StepBatch } from '../ingest/stepBatch.js';
import { DQN_DEFAULTS, DqnAlgorithm, type DqnAlgorithmOptions } from './dqn.js';
import type { AlgorithmEnv, AlgorithmParts, LearnerAlgorithm } from './types.js';

export interface DynaOptions {
  /** Fraction of each minibatch drawn from the real replay once synthetic data exists. */
  realRatio: number;
  /** Retrain the model every this many updates (first at the first update). */
  modelTrainEvery: number;
  /** Real replay states each rollout branches from. */
  rolloutStarts: number;
  /** Rollouts every this many updates (and right after each model training). */
  rolloutEvery: number;
  /** Model steps per rollout (MBPO's k). */
  rolloutHorizon: number;
  /**
   * 'one-step': every imagined step is a transition, mixed into minibatches at `realRatio`. 'n-step': each
   * row is one k-step return (first action uniform, then greedy), and updates alternate between an all-real
   * minibatch (γ) and an all-synthetic one bootstrapped with γ^k, as `trainDynaDQN`'s n-step targets.
   */
  rolloutTargets: 'one-step' | 'n-step';
  /** Epsilon of the Q-network's policy inside one-step rollouts. */
  rolloutEpsilon: number;
  /** A rollout row stops once the members' disagreement (normalised variance) exceeds this. */
  maxDisagreement: number;
  syntheticCapacity: number;
  /** Ensemble: members, units per hidden layer (2 layers), optimiser steps and batch per training. */
  modelMembers: number;
  modelHidden: number;
  modelTrainSteps: number;
  modelBatchSize: number;
  /** Weight of the termination cross-entropy in the model's loss (see @reverie/agents' option of the same name). */
  modelTerminationWeight: number;
}

export type DynaDqnAlgorithmOptions = DqnAlgorithmOptions & DynaOptions;

/** `trainDynaDQN`'s defaults for the same knobs (its env-step periods count updates here). */
const DYNA = resolveDynaOptions({ model: 'ensemble', maxEnvSteps: 1 });
export const DYNA_DQN_DEFAULTS: DynaDqnAlgorithmOptions = {
  ...DQN_DEFAULTS,
  realRatio: DYNA.realRatio,
  modelTrainEvery: DYNA.modelTrainEvery,
  rolloutStarts: DYNA.rolloutStarts,
  rolloutEvery: DYNA.rolloutEvery,
  rolloutHorizon: 1,
  rolloutTargets: 'one-step',
  rolloutEpsilon: DYNA.epsilon.end,
  maxDisagreement: DYNA.maxDisagreement,
  syntheticCapacity: DYNA.syntheticCapacity,
  modelMembers: DYNA.modelMembers,
  modelHidden: DYNA.modelHidden,
  modelTrainSteps: DYNA.modelTrainSteps,
  modelBatchSize: DYNA.modelBatchSize,
  // At 1 a model that never predicts a fall made the Q-network diverge (td loss 3.4, return 15 after 60 s
  // of `stack up --algo dyna-dqn`); at 100 the same run reached a return of 422.
  modelTerminationWeight: DYNA.modelTerminationWeight,
};

/** The schedule's counters and RNGs, as `dyna.json` in a checkpoint. */
interface DynaCounters {
  /** Updates done when the last model training started (null: never trained). */
  trainedAt: number | null;
  trainings: number;
  lastRolloutUpdate: number;
  rng: NumpyGeneratorState;
  rolloutRng: NumpyGeneratorState;
}

export class DynaDqnAlgorithm implements LearnerAlgorithm {
  readonly name = 'dyna-dqn';
  readonly options: DynaDqnAlgorithmOptions;
  readonly model: ProbabilisticEnsemble;
  lastRollout: RolloutStats | null = null;
  private readonly dqn: DqnAlgorithm;
  /** Model-generated transitions (one-step rows, or k-step returns with `rolloutTargets: 'n-step'`). */
  readonly synthetic: TransitionReplay;
  private readonly sampler: MixedSampler;
  private readonly syntheticOnly: MixedSampler;
  private readonly rng: NumpyGenerator;
  private readonly rolloutRng: NumpyGenerator;
  private trainedAt: number | null = null;
  private trainings = 0;
  private lastRolloutUpdate = 0;
  private rolloutPending = false;
  private syntheticRows = 0;
  private training: Promise<void> | null = null;
  /** Held-out loss of a training that finished since the last update reported one. */
  private finishedLoss: number | null = null;
  private failure: unknown = null;
  private disposed = false;

  constructor(readonly env: AlgorithmEnv, options: DqnAlgorithmOptions & Partial<DynaOptions>) {
    const o: DynaDqnAlgorithmOptions = { ...DYNA_DQN_DEFAULTS, ...options };
    checkDynaOptions(o);
    this.options = o;
    this.dqn = new DqnAlgorithm(env, o);
    this.model = new ProbabilisticEnsemble({
      stateSize: env.obsSize,
      action: { type: 'discrete', n: env.numActions },
      hidden: o.modelHidden,
      members: o.modelMembers,
      terminationWeight: o.modelTerminationWeight,
      seed: o.seed,
    });
    this.synthetic = new TransitionReplay({ capacity: o.syntheticCapacity, obsSize: env.obsSize, actionSize: 1 });
    this.sampler = new MixedSampler(this.dqn.realReplay, this.synthetic, o.batchSize, o.realRatio);
    this.syntheticOnly = new MixedSampler(this.dqn.realReplay, this.synthetic, o.batchSize, 0);
    this.rng = npRandom(o.seed).rng;
    this.rolloutRng = npRandom(o.seed + 1_000_003).rng;
  }

  get replaySize(): number {
    return this.dqn.replaySize;
  }

  get updates(): number {
    return this.dqn.updates;
  }

  get samplesPerUpdate(): number {
    return this.options.batchSize;
  }

  /** The DQN agent (its online network is the policy). */
  get agent(): DQN {
    return this.dqn.agent;
  }

  /** Model trainings started so far. */
  get modelTrainings(): number {
    return this.trainings;
  }

  /** Model-generated transitions held now. */
  get syntheticSize(): number {
    return this.synthetic.size;
  }

  /** Rows of the last update's minibatch that came from the synthetic replay. */
  get lastSyntheticRows(): number {
    return this.syntheticRows;
  }

  /** Resolves once no model training is in flight. */
  async modelIdle(): Promise<void> {
    while (this.training !== null) await this.training;
  }

  ingest(batch: StepBatch): void {
    this.dqn.ingest(batch);
  }

  ready(): boolean {
    return this.dqn.ready();
  }

  /** { td } always, plus { model: held-out loss } on the first update after a model training finished. */
  update(): Record<string, number> {
    if (this.failure !== null) throw new Error(`dyna-dqn: model training failed: ${String(this.failure)}`);
    if (this.training === null && (this.trainedAt === null || this.updates - this.trainedAt >= this.options.modelTrainEvery)) {
      this.startTraining();
    }
    if (this.training === null && this.trainings > 0 && (this.rolloutPending || this.updates - this.lastRolloutUpdate >= this.options.rolloutEvery)) {
      this.rollout();
    }
    const losses = this.options.rolloutTargets === 'n-step' ? this.nStepUpdate() : this.mixedUpdate();
    if (this.finishedLoss !== null) {
      losses.model = this.finishedLoss;
      this.finishedLoss = null;
    }
    return losses;
  }

  policyWeights(metadata?: Readonly<Record<string, string>>): Uint8Array {
    return this.dqn.policyWeights(metadata);
  }

  /**
   * DQN's parts, `model.safetensors` (the ensemble: weights, normalisers, elites) and `dyna.json`
   * (schedule counters, RNG states). The synthetic replay is not saved: after a restore the next
   * update regenerates it from the restored model. A training in flight is awaited, so the saved
   * model is the one it produces; the counters already count it.
   */
  async state(): Promise<AlgorithmParts> {
    // Read in the caller's tick: the counters here, the replay and networks inside dqn.state().
    const counters: DynaCounters = {
      trainedAt: this.trainedAt,
      trainings: this.trainings,
      lastRolloutUpdate: this.lastRolloutUpdate,
      rng: this.rng.getState(),
      rolloutRng: this.rolloutRng.getState(),
    };
    const pending = this.dqn.state();
    const training = this.training;
    const parts = await pending;
    if (training !== null) await training;
    parts['model.safetensors'] = saveWorldModel(this.model);
    parts['dyna.json'] = new TextEncoder().encode(JSON.stringify(counters));
    return parts;
  }

  async restore(parts: AlgorithmParts): Promise<void> {
    const part = (name: string): Uint8Array => {
      const bytes = parts[name];
      if (bytes === undefined) throw new Error(`dyna-dqn checkpoint: '${name}' is missing`);
      return bytes;
    };
    await this.dqn.restore(parts);
    loadWorldModelWeights(this.model, part('model.safetensors'));
    const c = JSON.parse(new TextDecoder().decode(part('dyna.json'))) as DynaCounters;
    this.trainedAt = c.trainedAt;
    this.trainings = c.trainings;
    this.lastRolloutUpdate = c.lastRolloutUpdate;
    this.rng.setState(c.rng);
    this.rolloutRng.setState(c.rolloutRng);
    this.synthetic.clear();
    this.rolloutPending = this.trainings > 0;
  }

  /** Frees the networks; a training in flight stops at its next evaluation and the model is freed then. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dqn.dispose();
    if (this.training === null) this.model.dispose();
  }

  private startTraining(): void {
    const o = this.options;
    const seed = o.seed + this.trainings;
    this.trainedAt = this.updates;
    this.trainings++;
    const abortIfDisposed = (): void => {
      if (this.disposed) throw new Error('dyna-dqn: disposed during model training');
    };
    this.training = trainWorldModel(this.model, this.dqn.realReplay, {
      steps: o.modelTrainSteps,
      batchSize: o.modelBatchSize,
      logEvery: Math.min(100, o.modelTrainSteps),
      seed,
      onLog: abortIfDisposed,
    }).then(
      (result) => {
        this.finishedLoss = heldOutLoss(result);
        this.rolloutPending = true;
      },
      (err: unknown) => {
        if (!this.disposed) this.failure = err instanceof Error ? err.message : err;
      },
    ).finally(() => {
      this.training = null;
      if (this.disposed) this.model.dispose();
    });
  }

  private mixedUpdate(): Record<string, number> {
    const batch = this.sampler.sample(this.rng);
    this.syntheticRows = this.options.batchSize - this.sampler.lastReal;
    return this.dqn.updateOn(batch);
  }

  /** Every other update (once rollouts exist) trains on k-step synthetic rows; the rest on real ones. */
  private nStepUpdate(): Record<string, number> {
    const o = this.options;
    if (this.synthetic.size === 0 || this.updates % 2 === 0) {
      this.syntheticRows = 0;
      return this.dqn.updateOn(this.dqn.sampleReal());
    }
    this.syntheticRows = o.batchSize;
    return this.dqn.updateOn(this.syntheticOnly.sample(this.rng), o.gamma ** o.rolloutHorizon);
  }

  private rollout(): void {
    const o = this.options;
    const agent = this.dqn.agent;
    const nStep = o.rolloutTargets === 'n-step';
    this.lastRollout = branchedRollouts({
      model: this.model,
      real: this.dqn.realReplay,
      synthetic: this.synthetic,
      policy: nStep
        ? nStepRolloutPolicy(agent, this.rolloutRng)
        : (states, batch) => agent.actBatch(states, batch, o.rolloutEpsilon, this.rolloutRng),
      starts: o.rolloutStarts,
      horizon: o.rolloutHorizon,
      maxDisagreement: o.maxDisagreement,
      rng: this.rolloutRng,
      nStepGamma: nStep ? o.gamma : undefined,
    });
    this.lastRolloutUpdate = this.updates;
    this.rolloutPending = false;
  }
}

/** Mean held-out loss of the kept members' weights (the last training loss without a held-out split). */
function heldOutLoss(result: TrainResult): number {
  const perMember = result.memberHeldOutLoss;
  if (perMember !== null && perMember.length > 0) return perMember.reduce((a, b) => a + b, 0) / perMember.length;
  return result.history.at(-1)?.loss ?? Number.NaN;
}

function checkDynaOptions(o: DynaOptions): void {
  const ints = ['modelTrainEvery', 'rolloutStarts', 'rolloutEvery', 'rolloutHorizon', 'syntheticCapacity', 'modelMembers', 'modelHidden', 'modelTrainSteps', 'modelBatchSize'] as const;
  for (const k of ints) {
    if (!Number.isSafeInteger(o[k]) || o[k] < 1) throw new Error(`dyna-dqn ${k}: expected a whole number >= 1, got ${o[k]}`);
  }
  if (!(o.realRatio >= 0 && o.realRatio <= 1)) throw new Error(`dyna-dqn realRatio: expected a number in [0, 1], got ${o.realRatio}`);
  if (!(o.rolloutEpsilon >= 0 && o.rolloutEpsilon <= 1)) throw new Error(`dyna-dqn rolloutEpsilon: expected a number in [0, 1], got ${o.rolloutEpsilon}`);
  if (o.rolloutTargets !== 'one-step' && o.rolloutTargets !== 'n-step') throw new Error(`dyna-dqn rolloutTargets: expected 'one-step' or 'n-step', got ${String(o.rolloutTargets)}`);
  if (!(o.maxDisagreement > 0)) throw new Error(`dyna-dqn maxDisagreement: expected a positive number, got ${o.maxDisagreement}`);
}
