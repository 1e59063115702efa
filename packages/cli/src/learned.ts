/**
 * What `reverie world-model` and `reverie plan` share: the continuous-control envs they run on, random-policy
 * data collection into a TransitionReplay, and training (or loading) the deterministic model and the ensemble.
 */
import { readFile } from 'node:fs/promises';
import { TransitionReplay } from '@reverie/core';
import { Box, Discrete, type Env, make } from '@reverie/envs';
import {
  actionSpecOf,
  DeterministicWorldModel,
  loadWorldModel,
  ProbabilisticEnsemble,
  trainWorldModel,
  type TrainResult,
  type WorldModel,
  WorldModelDynamics,
} from '@reverie/models';
import { z } from 'zod';

export const MODEL_ENVS = ['CartPole-v1', 'Pendulum-v1'] as const;
export type ModelEnvId = (typeof MODEL_ENVS)[number];

export function modelEnvField() {
  return z.enum(MODEL_ENVS, { error: `must be one of ${MODEL_ENVS.join(', ')}` });
}

/** Human names of each observation dimension (Gymnasium's documentation order). */
export const STATE_NAMES: Record<ModelEnvId, readonly string[]> = {
  'CartPole-v1': ['cart position', 'cart velocity', 'pole angle', 'pole angular velocity'],
  'Pendulum-v1': ['cos theta', 'sin theta', 'angular velocity'],
};

export type ModelKind = 'deterministic' | 'ensemble';

/** Network size and training length, shared by both commands so a saved model loads in `plan`. */
export interface ModelTraining {
  hidden: number;
  steps: number;
  batchSize: number;
  lr: number;
  members: number;
  seed: number;
  /** Weight of the termination loss; undefined: `defaultTerminationWeight(kind)`. */
  terminationWeight?: number;
}

/**
 * The ensemble's Gaussian NLL drowns its termination cross-entropy at weight 1: on 10k random CartPole transitions
 * its termination head then never predicted a fall (held-out accuracy 0.955, the non-terminal fraction) and CEM
 * with it dropped the pole within ~100 steps; at 100 its held-out BCE (0.040) matches the deterministic model's
 * (0.046) and the same CEM held the pole for 500 steps. The deterministic model's MSE needs no reweighting.
 */
export function defaultTerminationWeight(kind: ModelKind): number {
  return kind === 'ensemble' ? 100 : 1;
}

/**
 * `n` transitions of a uniformly random policy: episode k resets with seed + k, actions come from the action
 * space seeded with `seed`. Time-limit truncations are stored as such (not as terminations).
 */
export function collectRandom(envId: ModelEnvId, n: number, seed: number, onStep?: () => void): TransitionReplay {
  const env = make(envId);
  const obsSize = env.observationSpace.flatSize;
  const replay = new TransitionReplay({ capacity: n, obsSize, actionSize: env.actionSpace.flatSize });
  env.actionSpace.seed(seed);
  let obs = new Float32Array(obsSize);
  const next = new Float32Array(obsSize);
  let episode = 0;
  env.reset({ seed });
  env.writeObservation(obs, 0);
  for (let i = 0; i < n; i++) {
    const action = env.actionSpace.sample();
    const r = env.step(action);
    env.writeObservation(next, 0);
    replay.add(obs, typeof action === 'number' ? action : (action as Float32Array), r.reward, next, r.terminated, r.truncated);
    onStep?.();
    if (r.terminated || r.truncated) {
      episode++;
      env.reset({ seed: seed + episode });
      env.writeObservation(obs, 0);
    } else {
      obs = next.slice();
    }
  }
  return replay;
}

/** An untrained model of the env's observation and action spaces. */
export function buildModel(env: Env, kind: ModelKind, t: ModelTraining): WorldModel {
  const space = env.actionSpace;
  if (!(space instanceof Discrete || space instanceof Box)) throw new Error(`${env.id}: unsupported action space ${String(space)}`);
  const options = {
    stateSize: env.observationSpace.flatSize,
    action: actionSpecOf(space),
    hidden: t.hidden,
    seed: t.seed,
    terminationWeight: t.terminationWeight ?? defaultTerminationWeight(kind),
  };
  return kind === 'ensemble' ? new ProbabilisticEnsemble({ ...options, members: t.members }) : new DeterministicWorldModel(options);
}

/** Trains a fresh model on `replay`; `onStep` is called once per logged window with the steps it covered. */
export async function trainModel(
  env: Env,
  kind: ModelKind,
  replay: TransitionReplay,
  t: ModelTraining,
  onSteps?: (n: number) => void,
): Promise<{ model: WorldModel; result: TrainResult }> {
  const model = buildModel(env, kind, t);
  let last = 0;
  const logEvery = Math.max(1, Math.min(200, Math.floor(t.steps / 10)));
  try {
    const result = await trainWorldModel(model, replay, {
      steps: t.steps,
      batchSize: t.batchSize,
      lr: t.lr,
      seed: t.seed,
      logEvery,
      // Early stopping waits long enough that a short run is not cut by one noisy evaluation.
      patience: 10,
      onLog: (e) => {
        onSteps?.(e.step - last);
        last = e.step;
      },
    });
    onSteps?.(t.steps - last); // an early stop skips the rest: finish the bar
    return { model, result };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** A model saved by `reverie world-model` (or `saveWorldModel`), checked against the env it will plan in. */
export async function loadModelFile(path: string, env: Env): Promise<WorldModel> {
  const model = loadWorldModel(new Uint8Array(await readFile(path)));
  const obs = env.observationSpace.flatSize;
  if (model.stateSize !== obs) {
    model.dispose();
    throw new Error(`${path}: the model predicts states of ${model.stateSize} numbers, but ${env.id} observations have ${obs}`);
  }
  return model;
}

/** The model as planning dynamics over the env's action space (Discrete or Box). */
export function dynamicsFor(model: WorldModel, env: Env): WorldModelDynamics {
  const space = env.actionSpace;
  if (!(space instanceof Discrete || space instanceof Box)) throw new Error(`${env.id}: unsupported action space ${String(space)}`);
  return new WorldModelDynamics(model, space);
}
