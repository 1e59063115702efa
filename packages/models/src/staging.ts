/**
 * Checks a replay buffer against a model and stages it as normalised network inputs and targets,
 * once per training run, so each minibatch is plain row copies.
 */
import type { TransitionReplay } from '@reverie/core';
import { type WorldModelBase, writeTarget } from './base.js';
import { describeAction, encodeInputs, rawActionSize } from './inputs.js';

export interface StagedData {
  /** Normalised inputs, [size × inputSize]. */
  x: Float32Array;
  /** Normalised [delta, reward] targets, [size × (stateSize + 1)]. */
  y: Float32Array;
  /** 1 where terminated. */
  done: Float32Array;
}

/** Empty buffer, wrong dimensions, non-finite values or invalid actions: an error naming the problem. */
export function validateReplay(model: WorldModelBase, replay: TransitionReplay): void {
  if (replay.size === 0) throw new Error('trainWorldModel: the replay buffer is empty; collect transitions before training');
  if (replay.obsSize !== model.stateSize) {
    throw new Error(`state dimension: the replay holds ${replay.obsSize}-dimensional observations but the model expects ${model.stateSize}`);
  }
  const a = rawActionSize(model.action);
  if (replay.actionSize !== a) {
    throw new Error(`action size: the replay stores ${replay.actionSize} floats per action but the model's ${describeAction(model.action)} action needs ${a}`);
  }
  const n = replay.size;
  checkFinite('obs', replay.obs, n, replay.obsSize);
  checkFinite('nextObs', replay.nextObs, n, replay.obsSize);
  checkFinite('reward', replay.rewards, n, 1);
  checkFinite('action', replay.actions, n, a);
  // Checked here, before training touches the model's normalisers, not later while encoding.
  if (model.action.type === 'discrete') {
    const start = model.action.start ?? 0;
    for (let i = 0; i < n; i++) {
      const v = replay.actions[i] - start;
      if (!Number.isInteger(v) || v < 0 || v >= model.action.n) {
        throw new Error(`replay: action of transition ${i} is ${replay.actions[i]}, not a valid action of ${describeAction(model.action)}`);
      }
    }
  }
}

function checkFinite(field: string, data: Float32Array, n: number, width: number): void {
  for (let i = 0; i < n * width; i++) {
    if (!Number.isFinite(data[i])) throw new Error(`replay: ${field} of transition ${Math.floor(i / width)} is ${data[i]}`);
  }
}

export function stageReplay(model: WorldModelBase, replay: TransitionReplay): StagedData {
  const n = replay.size;
  const s = model.stateSize;
  const data: StagedData = {
    x: new Float32Array(n * model.inputSize),
    y: new Float32Array(n * (s + 1)),
    done: new Float32Array(n),
  };
  encodeInputs(replay.obs, replay.actions, n, s, model.action, model.inputStats, data.x);
  const { mean, std } = model.targetStats;
  for (let i = 0; i < n; i++) {
    writeTarget(replay, i, s, data.y, i);
    for (let k = 0; k <= s; k++) data.y[i * (s + 1) + k] = (data.y[i * (s + 1) + k] - mean[k]) / std[k];
    data.done[i] = replay.terminated[i];
  }
  return data;
}
