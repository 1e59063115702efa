/**
 * Neural Dyna on a discrete-action env: one DQN learns from real transitions and, with
 * `model: 'ensemble'`, also from MBPO-style branched rollouts of a probabilistic ensemble retrained
 * periodically on the real replay. `model: 'none'` runs the very same loop with no model, so the
 * synthetic replay stays empty and every minibatch is real: plain DQN, for a fair comparison.
 */
import { npRandom, type NumpyGenerator, TransitionReplay } from '@reverie/core';
import { Discrete, type Env, make } from '@reverie/envs';
import { ProbabilisticEnsemble, trainWorldModel } from '@reverie/models';
import { DQN } from './dqn.js';
import { evaluateGreedy } from './evaluate.js';
import { MixedSampler } from './mixed.js';
import { branchedRollouts, nStepRolloutPolicy, type RolloutStats } from './rollouts.js';
import { type DynaDqnOptions, type ResolvedDynaOptions, linear, resolveDynaOptions } from './options.js';

export interface EvalPoint {
  /** Real env steps taken when this evaluation ran. */
  envSteps: number;
  /** Mean greedy return over the eval episodes. */
  meanReturn: number;
  returns: number[];
  /** Wall seconds since the start of the run. */
  seconds: number;
}

export interface DynaDqnResult {
  model: 'none' | 'ensemble';
  seed: number;
  curve: EvalPoint[];
  /** Real env steps at the first evaluation whose mean return reached `targetReturn`, or null. */
  stepsToTarget: number | null;
  envSteps: number;
  updates: number;
  syntheticAdded: number;
  modelTrainings: number;
  lastRollout: RolloutStats | null;
  wallSeconds: number;
}

export async function trainDynaDQN(options: DynaDqnOptions): Promise<DynaDqnResult> {
  const run = new DynaRun(resolveDynaOptions(options));
  try {
    return await run.run();
  } finally {
    run.dispose();
  }
}

class DynaRun {
  readonly env: Env;
  readonly agent: DQN;
  readonly real: TransitionReplay;
  readonly synthetic: TransitionReplay;
  readonly sampler: MixedSampler;
  /** n-step targets only: real rows (1-step, γ) and synthetic rows (k-step, γ^k) train in separate batches. */
  readonly realOnly: MixedSampler;
  readonly syntheticOnly: MixedSampler;
  readonly model: ProbabilisticEnsemble | null;
  readonly rng: NumpyGenerator;
  readonly rolloutRng: NumpyGenerator;
  readonly result: DynaDqnResult;
  private obs: Float32Array;
  /** Env steps that trained the agent: the target network's clock under targetClock 'env-step'. */
  private trainSteps = 0;
  private readonly t0 = performance.now();

  constructor(readonly o: ResolvedDynaOptions) {
    this.env = make(o.env);
    const space = this.env.actionSpace;
    if (!(space instanceof Discrete)) throw new Error(`${o.env}: DQN needs a Discrete action space`);
    const stateSize = this.env.observationSpace.flatSize;
    this.agent = new DQN({ stateSize, numActions: space.n, hidden: o.hidden, lr: o.lr, gamma: o.gamma, target: o.target, seed: o.seed });
    this.real = new TransitionReplay({ capacity: o.replayCapacity, obsSize: stateSize, actionSize: 1 });
    this.synthetic = new TransitionReplay({ capacity: o.syntheticCapacity, obsSize: stateSize, actionSize: 1 });
    this.sampler = new MixedSampler(this.real, this.synthetic, o.batchSize, o.realRatio);
    this.realOnly = new MixedSampler(this.real, this.synthetic, o.batchSize, 1);
    this.syntheticOnly = new MixedSampler(this.real, this.synthetic, o.batchSize, 0);
    this.model =
      o.model === 'ensemble'
        ? new ProbabilisticEnsemble({ stateSize, action: { type: 'discrete', n: space.n }, hidden: o.modelHidden, members: o.modelMembers, elites: o.modelElites, terminationWeight: o.modelTerminationWeight, seed: o.seed })
        : null;
    this.rng = npRandom(o.seed).rng;
    this.rolloutRng = npRandom(o.seed + 1_000_003).rng;
    this.obs = Float32Array.from(this.env.reset({ seed: o.seed }).observation as Float32Array);
    this.result = { model: o.model, seed: o.seed, curve: [], stepsToTarget: null, envSteps: 0, updates: 0, syntheticAdded: 0, modelTrainings: 0, lastRollout: null, wallSeconds: 0 };
  }

  async run(): Promise<DynaDqnResult> {
    const o = this.o;
    for (let t = 1; t <= o.maxEnvSteps; t++) {
      this.envStep(t);
      if (this.model !== null && t >= o.modelStart && t % o.modelTrainEvery === 0) await this.trainModel();
      if (this.result.modelTrainings > 0 && t % o.rolloutEvery === 0) this.rollout(t);
      if (t >= o.learningStarts && t % o.trainEvery === 0) this.trainAgent();
      if (t % o.evalEvery === 0 || t === o.maxEnvSteps) {
        const reached = this.evaluate(t);
        await new Promise<void>((r) => setImmediate(r));
        if (reached && o.stopAtTarget) break;
      }
      if (t % 200 === 0) o.onProgress?.(t);
    }
    this.result.updates = this.agent.updates;
    this.result.wallSeconds = (performance.now() - this.t0) / 1000;
    return this.result;
  }

  private envStep(t: number): void {
    const eps = linear(this.o.epsilon.start, this.o.epsilon.end, this.o.epsilon.steps, t);
    const action = this.agent.act(this.obs, eps, this.rng);
    const r = this.env.step(action);
    const next = r.observation as Float32Array;
    this.real.add(this.obs, action, r.reward, next, r.terminated, r.truncated);
    this.result.envSteps = t;
    this.obs = r.terminated || r.truncated ? Float32Array.from(this.env.reset().observation as Float32Array) : Float32Array.from(next);
  }

  private async trainModel(): Promise<void> {
    const model = this.model as ProbabilisticEnsemble;
    await trainWorldModel(model, this.real, {
      steps: this.o.modelTrainSteps,
      batchSize: this.o.modelBatchSize,
      logEvery: Math.min(100, this.o.modelTrainSteps),
      seed: this.o.seed + this.result.modelTrainings,
    });
    this.result.modelTrainings++;
  }

  private rollout(t: number): void {
    const o = this.o;
    const horizon = Math.max(1, Math.round(linear(o.rolloutLength.start, o.rolloutLength.end, o.rolloutLength.steps, t - o.modelStart)));
    const eps = linear(o.epsilon.start, o.epsilon.end, o.epsilon.steps, t);
    const nStep = o.rolloutTargets === 'n-step';
    const policy = nStep
      ? nStepRolloutPolicy(this.agent, this.rolloutRng)
      : (states: Float32Array, batch: number) => this.agent.actBatch(states, batch, eps, this.rolloutRng);
    const stats = branchedRollouts({
      model: this.model as ProbabilisticEnsemble,
      real: this.real,
      synthetic: this.synthetic,
      policy,
      starts: o.rolloutStarts,
      horizon,
      maxDisagreement: o.maxDisagreement,
      rng: this.rolloutRng,
      nStepGamma: nStep ? o.gamma : undefined,
    });
    this.result.syntheticAdded += stats.added;
    this.result.lastRollout = stats;
  }

  private trainAgent(): void {
    // Planning updates only exist once the model has produced data (never for model 'none').
    const o = this.o;
    const planning = this.synthetic.size > 0 ? o.planningUpdates : 0;
    const perUpdate = o.targetClock === 'update';
    if (o.rolloutTargets === 'n-step') {
      const k = o.rolloutLength.end;
      for (let g = 0; g < o.gradientSteps; g++) this.agent.update(this.realOnly.sample(this.rng), perUpdate);
      for (let g = 0; g < planning; g++) this.agent.update(this.syntheticOnly.sample(this.rng), perUpdate, o.gamma ** k);
    } else {
      for (let g = 0; g < o.gradientSteps + planning; g++) this.agent.update(this.sampler.sample(this.rng), perUpdate);
    }
    if (!perUpdate) this.agent.updateTargetNow(++this.trainSteps);
  }

  /** Runs an evaluation, records it, and says whether it reached the target return. */
  private evaluate(t: number): boolean {
    const ev = evaluateGreedy(this.agent, this.o.env, this.o.evalEpisodes, this.o.evalSeed);
    const point: EvalPoint = { envSteps: t, meanReturn: ev.mean, returns: ev.returns, seconds: (performance.now() - this.t0) / 1000 };
    this.result.curve.push(point);
    const reached = ev.mean >= this.o.targetReturn;
    if (reached && this.result.stepsToTarget === null) this.result.stepsToTarget = t;
    this.o.onEval?.(point);
    return reached;
  }

  dispose(): void {
    this.agent.dispose();
    this.model?.dispose();
  }
}
