import { Discrete, makeVec, type AutoresetMode, type MakeOptions, type VectorEnv } from '@reverie/envs';
import { RolloutViews, type SharedRolloutMemory } from './sharedBuffers.js';

/** What one worker needs to own its slice: sent once, as its resident task. */
export interface SliceTask {
  memory: SharedRolloutMemory;
  workerIndex: number;
  envId: string;
  envKwargs: MakeOptions;
  autoreset: AutoresetMode;
  start: number;
  count: number;
}

/** A step failure, located: the global env index (or -1) and the message. */
export interface SliceFailure {
  envIndex: number;
  message: string;
}

/**
 * The envs [start, start + count) of a pooled vector env, stepped by the envs package's own vector
 * env (its batched kernel where the env has one), with the results copied into shared memory.
 * Seeding matches `makeVec(id, numEnvs)`: env i gets seed + i, so the slice resets with seed + start.
 */
export class EnvSlice {
  private readonly vec: VectorEnv;
  private readonly views: RolloutViews;
  private readonly obsSize: number;
  private readonly actSize: number;
  private readonly nextStep: boolean;
  /** 1 where the env's episode ended on the previous step. */
  private readonly endedLastStep: Uint8Array;
  private readonly actionSlice: Int32Array | Float32Array;

  constructor(private readonly task: SliceTask) {
    const { memory, envId, envKwargs, autoreset, start, count } = task;
    this.vec = makeVec(envId, count, { ...envKwargs, autoreset });
    this.views = new RolloutViews(memory);
    this.obsSize = memory.dims.observationSize;
    this.actSize = memory.dims.actionSize;
    this.nextStep = autoreset === 'next-step';
    this.endedLastStep = new Uint8Array(count);
    this.actionSlice = this.views.actions.subarray(start * this.actSize, (start + count) * this.actSize);
  }

  reset(seed: number | undefined): void {
    const { views, task } = this;
    const obs = this.vec.reset({ seed: seed === undefined ? undefined : seed + task.start }).observations;
    const from = task.start * this.obsSize;
    views.observations.set(obs, from);
    views.nextObservations.set(obs, from);
    const end = task.start + task.count;
    views.rewards.fill(0, task.start, end);
    views.terminated.fill(0, task.start, end);
    views.truncated.fill(0, task.start, end);
    views.episodeReturns.fill(0, task.start, end);
    views.episodeLengths.fill(0, task.start, end);
    this.endedLastStep.fill(0);
  }

  /** Steps the slice with its part of the shared actions; throws (env untouched) on a bad action. */
  step(): void {
    const vec = this.vec;
    vec.step(this.actionSlice);
    const { views, obsSize } = this;
    const { start, count } = this.task;
    views.observations.set(vec.observations, start * obsSize);
    views.rewards.set(vec.rewards, start);
    views.terminated.set(vec.terminated, start);
    views.truncated.set(vec.truncated, start);
    this.writeNextObservations();
    this.countEpisodes(start, count);
  }

  /** next-step mode keeps the last observation until the following step, so nextObs = obs there. */
  private writeNextObservations(): void {
    const { vec, views, obsSize } = this;
    const from = this.task.start * obsSize;
    views.nextObservations.set(vec.observations, from);
    if (this.nextStep) return;
    const { hasFinal, finalObservations } = vec;
    const next = views.nextObservations;
    for (let i = 0; i < hasFinal.length; i++) {
      if (hasFinal[i] === 0) continue;
      for (let k = i * obsSize; k < (i + 1) * obsSize; k++) next[from + k] = finalObservations[k];
    }
  }

  /**
   * Running return and length per env. An env whose episode ended on the previous step starts from
   * zero; in next-step mode that step only resets the env, so it does not count.
   */
  private countEpisodes(start: number, count: number): void {
    const { views, endedLastStep, nextStep } = this;
    const { rewards, terminated, truncated, episodeReturns, episodeLengths } = views;
    for (let i = 0; i < count; i++) {
      const g = start + i;
      if (endedLastStep[i] === 1) {
        episodeReturns[g] = 0;
        episodeLengths[g] = 0;
        endedLastStep[i] = 0;
        if (nextStep) continue;
      }
      episodeReturns[g] += rewards[g];
      episodeLengths[g] += 1;
      endedLastStep[i] = terminated[g] | truncated[g];
    }
  }

  /** Names the env whose action broke the step, with a message that uses its global index. */
  locate(error: unknown): SliceFailure {
    const message = error instanceof Error ? error.message : String(error);
    const space = this.vec.singleActionSpace;
    const { actionSlice, actSize } = this;
    for (let i = 0; i < this.task.count; i++) {
      if (space.containsAt(actionSlice, i * actSize)) continue;
      const action = space instanceof Discrete ? String(actionSlice[i]) : `[${Array.from(actionSlice.subarray(i * actSize, (i + 1) * actSize)).join(', ')}]`;
      const envIndex = this.task.start + i;
      return { envIndex, message: `${this.task.envId}: action ${action} for env ${envIndex} is outside the action space ${space}` };
    }
    return { envIndex: -1, message };
  }
}
