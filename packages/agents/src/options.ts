/** Options of `trainDynaDQN`, their defaults and validation. */
import type { DqnOptions } from './dqn.js';
import type { EvalPoint } from './dyna.js';

/** A value moved linearly from `start` to `end` over `steps` (then held). */
export interface LinearSchedule {
  start: number;
  end: number;
  steps: number;
}

export function linear(start: number, end: number, steps: number, t: number): number {
  if (steps <= 0 || t >= steps) return end;
  return start + (end - start) * Math.max(0, t) / steps;
}

export interface DynaDqnOptions {
  /** Gymnasium id with a Discrete action space (default 'CartPole-v1'). */
  env?: string;
  /** 'none' = plain DQN; 'ensemble' = neural Dyna with a probabilistic ensemble. */
  model: 'none' | 'ensemble';
  seed?: number;
  maxEnvSteps: number;
  /** Evaluate every this many real env steps (default 1000). */
  evalEvery?: number;
  /** Greedy episodes per evaluation (default 5). */
  evalEpisodes?: number;
  /** Eval episode i is reset with seed evalSeed + i (default 10_000 + seed · 100). */
  evalSeed?: number;
  /** Mean eval return that counts as solved (default 475). */
  targetReturn?: number;
  /** Stop once an evaluation reaches the target (default false). */
  stopAtTarget?: boolean;

  // DQN
  hidden?: number[];
  lr?: number;
  gamma?: number;
  /** Target network (default Polyak, tau 0.01: steadier than hard copies on CartPole in a quick comparison). */
  target?: DqnOptions['target'];
  /**
   * What the target rule counts (default 'env-step'): a Polyak step (or the hard-copy counter) once per
   * real env step that trained, however many updates it did, so extra planning updates do not make the
   * target chase the online network faster; 'update' applies it after every update, as plain DQN code does.
   * With one update per env step the two are the same.
   */
  targetClock?: 'env-step' | 'update';
  batchSize?: number;
  replayCapacity?: number;
  /** Real env steps before the first update (default 1000). */
  learningStarts?: number;
  /** Update every this many env steps (default 1)... */
  trainEvery?: number;
  /** ...with this many gradient steps (default 1). */
  gradientSteps?: number;
  /** Exploration epsilon over real env steps (default 1 → 0.05 over 5,000). */
  epsilon?: LinearSchedule;

  // World model (ignored with model 'none')
  modelHidden?: number;
  modelMembers?: number;
  modelElites?: number;
  /** First model training at this env step (default 1000), then every `modelTrainEvery` (default 1000). */
  modelStart?: number;
  modelTrainEvery?: number;
  /** Optimiser steps per model training, early stopping aside (default 200, batch 128: cheap on wasm). */
  modelTrainSteps?: number;
  modelBatchSize?: number;
  /**
   * Weight of the termination cross-entropy in the model's loss (default 100). At 1 the ensemble's
   * Gaussian NLL drowns it and the model hardly ever predicts a CartPole fall (4 of 128 held out; at 100,
   * 113 of 128), and k-step returns through an imagined fall are then badly wrong: see the README.
   */
  modelTerminationWeight?: number;
  /** Branched rollouts every this many env steps (default 250) from `rolloutStarts` real states (default 512). */
  rolloutEvery?: number;
  rolloutStarts?: number;
  /** Rollout length k over env steps since `modelStart` (default fixed 20; 'one-step' may grow it). */
  rolloutLength?: LinearSchedule;
  /**
   * What rollouts store (default 'n-step'): one k-step transition per row (first action uniform, then greedy; reward
   * summed with γ), bootstrapped with γ^k in planning updates that are all synthetic, while the
   * `gradientSteps` updates stay all real (`realRatio` is unused; k, the rollout length, must be fixed);
   * or 'one-step': every imagined step as a transition, mixed into minibatches at `realRatio`.
   */
  rolloutTargets?: 'one-step' | 'n-step';
  /** Cut a rollout row once ensemble disagreement (normalised variance) exceeds this (default 0.05). */
  maxDisagreement?: number;
  /** Synthetic replay capacity (default 20,000: a few model generations). */
  syntheticCapacity?: number;
  /** Fraction of each minibatch drawn from real data once synthetic data exists (default 0.5). */
  realRatio?: number;
  /**
   * Extra DQN updates per env step while synthetic data exists (default 1): Dyna's planning steps.
   * Plain DQN (`model: 'none'`) never has synthetic data, so it never does them, as Dyna-Q with n = 0.
   */
  planningUpdates?: number;

  onEval?: (point: EvalPoint) => void;
  /** Called every 200 env steps with the env steps so far. */
  onProgress?: (envSteps: number) => void;
}

export type ResolvedDynaOptions = Required<Omit<DynaDqnOptions, 'onEval' | 'onProgress' | 'target'>> &
  Pick<DynaDqnOptions, 'onEval' | 'onProgress'> & { target: NonNullable<DqnOptions['target']> };

export function resolveDynaOptions(options: DynaDqnOptions): ResolvedDynaOptions {
  const seed = options.seed ?? 0;
  const members = options.modelMembers ?? 5;
  const o: ResolvedDynaOptions = {
    env: 'CartPole-v1',
    seed,
    evalEvery: 1000,
    evalEpisodes: 5,
    evalSeed: 10_000 + seed * 100,
    targetReturn: 475,
    stopAtTarget: false,
    hidden: [128, 128],
    lr: 1e-3,
    gamma: 0.99,
    target: { kind: 'polyak', tau: 0.01 },
    targetClock: 'env-step',
    batchSize: 64,
    replayCapacity: 100_000,
    learningStarts: 1000,
    trainEvery: 1,
    gradientSteps: 1,
    epsilon: { start: 1, end: 0.05, steps: 5000 },
    modelHidden: 128,
    modelMembers: members,
    modelElites: members,
    modelStart: 1000,
    modelTrainEvery: 1000,
    modelTrainSteps: 200,
    modelBatchSize: 128,
    modelTerminationWeight: 100,
    rolloutEvery: 250,
    rolloutStarts: 512,
    rolloutLength: { start: 20, end: 20, steps: 0 },
    rolloutTargets: 'n-step',
    maxDisagreement: 0.05,
    syntheticCapacity: 20_000,
    realRatio: 0.5,
    planningUpdates: 1,
    ...stripUndefined(options),
    model: options.model,
    maxEnvSteps: options.maxEnvSteps,
  };
  validate(o);
  return o;
}

function stripUndefined<T extends object>(x: T): Partial<T> {
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validate(o: ResolvedDynaOptions): void {
  if (o.model !== 'none' && o.model !== 'ensemble') throw new Error(`model: expected 'none' or 'ensemble', got ${String(o.model)}`);
  const ints = ['seed', 'maxEnvSteps', 'evalEvery', 'evalEpisodes', 'batchSize', 'replayCapacity', 'trainEvery', 'gradientSteps',
    'modelHidden', 'modelMembers', 'modelElites', 'modelTrainEvery', 'modelTrainSteps', 'modelBatchSize', 'rolloutEvery', 'rolloutStarts', 'syntheticCapacity'] as const;
  for (const k of ints) {
    const min = k === 'seed' ? 0 : 1;
    if (!Number.isSafeInteger(o[k]) || o[k] < min) throw new Error(`${k}: expected a whole number >= ${min}, got ${o[k]}`);
  }
  for (const k of ['learningStarts', 'modelStart', 'planningUpdates'] as const) {
    if (!Number.isSafeInteger(o[k]) || o[k] < 0) throw new Error(`${k}: expected a whole number >= 0, got ${o[k]}`);
  }
  if (o.targetClock !== 'env-step' && o.targetClock !== 'update') throw new Error(`targetClock: expected 'env-step' or 'update', got ${String(o.targetClock)}`);
  if (!(o.realRatio >= 0 && o.realRatio <= 1)) throw new Error(`realRatio: expected a number in [0, 1], got ${o.realRatio}`);
  if (!(o.modelTerminationWeight > 0 && Number.isFinite(o.modelTerminationWeight))) throw new Error(`modelTerminationWeight: expected a positive number, got ${o.modelTerminationWeight}`);
  if (!(o.maxDisagreement > 0)) throw new Error(`maxDisagreement: expected a positive number, got ${o.maxDisagreement}`);
  if (!(o.rolloutLength.start >= 1 && o.rolloutLength.end >= 1)) throw new Error('rolloutLength: start and end must be >= 1');
  if (o.rolloutTargets !== 'one-step' && o.rolloutTargets !== 'n-step') throw new Error(`rolloutTargets: expected 'one-step' or 'n-step', got ${String(o.rolloutTargets)}`);
  if (o.rolloutTargets === 'n-step' && !(Number.isSafeInteger(o.rolloutLength.end) && o.rolloutLength.start === o.rolloutLength.end)) {
    throw new Error(`rolloutLength: n-step targets need one fixed whole length, got ${o.rolloutLength.start} → ${o.rolloutLength.end}`);
  }
}
