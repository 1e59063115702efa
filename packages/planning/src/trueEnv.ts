import { Box, Discrete, type Env, type EnvState, type MakeOptions, make } from '@reverie/envs';
import type { ActionSpec, BatchDynamics, StepOutputs } from './dynamics.js';
import { PlanningError } from './errors.js';

/** Handles live in float32 lanes, so they stay below 2^24 where every integer is exact. */
const EPOCH_MOD = 1 << 24;
const ROOT_SLOT = -1;

/**
 * The real environment used as the model: the upper bound a learned model is compared with. Every row of a
 * batch has its own env instance; rows restore the exact snapshot (float64 physics and RNG included) through
 * `getState`/`setState` and step with the env's allocation-free kernel, so a rollout reproduces the real env's
 * transitions bit for bit.
 *
 * A state is the env's float32 observation followed by two handle lanes [slot, epoch] that name the exact
 * snapshot behind it (an observation alone is lossy: CartPole keeps float64 physics, Pendulum observes cos/sin).
 * `stateFromEnv(env, out)` snapshots a real env as the root (slot −1); `step` writes row r's next state with
 * slot r and a fresh epoch. Row r may therefore continue from the root or from row r of the latest output, which
 * is what shooting/CEM rollouts do; a stale or permuted handle (an older output, another row's state, an older
 * root) is an error rather than a silent wrong answer. One root is live at a time.
 *
 * Time limits are not part of the dynamics (planners do not see truncation). Restoring a root allocates a little
 * inside `Env.setState` (the RNG snapshot is checked and copied); stepping continuing rows allocates nothing.
 */
export class TrueEnvDynamics implements BatchDynamics {
  readonly stateSize: number;
  /** Lanes 0..observationSize-1 of a state are the env's observation. */
  readonly observationSize: number;
  readonly actionSpec: ActionSpec;
  readonly ensembleSize = 1;
  readonly providesDisagreement = false;
  private readonly actionLanes: number;
  /** n of a discrete action space, 0 for continuous (actions are then checked as indices). */
  private readonly discreteN: number;
  private readonly envs: Env[] = [];
  private slotEpoch = new Int32Array(0);
  private epoch = 0;
  private root: EnvState<unknown> | undefined;
  private rootEpoch = -1;
  private readonly prototypeEnv: Env;

  /** `makeEnv` builds one fresh env of the kind being planned for; it is called once per batch row (setup only). */
  constructor(private readonly makeEnv: () => Env) {
    this.prototypeEnv = makeEnv();
    const space = this.prototypeEnv.actionSpace;
    if (space instanceof Discrete) {
      if (space.start !== 0) throw new PlanningError(`TrueEnvDynamics: ${this.prototypeEnv.id} has ${space}; only Discrete spaces starting at 0 are supported`);
      this.actionSpec = { kind: 'discrete', n: space.n };
      this.discreteN = space.n;
    } else if (space instanceof Box) {
      this.actionSpec = { kind: 'continuous', low: Float32Array.from(space.low), high: Float32Array.from(space.high) };
      this.discreteN = 0;
    } else {
      throw new PlanningError(`TrueEnvDynamics: ${this.prototypeEnv.id} has action space ${String(space)}; only Discrete and Box are supported`);
    }
    this.actionLanes = space.flatSize;
    this.observationSize = this.prototypeEnv.observationSpace.flatSize;
    this.stateSize = this.observationSize + 2;
  }

  /** The true model of a registered env id, e.g. `TrueEnvDynamics.make('CartPole-v1')`. */
  static make(id: string, options: MakeOptions = {}): TrueEnvDynamics {
    return new TrueEnvDynamics(() => make(id, options));
  }

  /** Snapshots the real env as the root of the next rollouts and writes its state (observation + root handle). */
  stateFromEnv(env: Env, out: Float32Array): void {
    if (env === null || typeof env !== 'object' || env.constructor !== this.prototypeEnv.constructor) {
      throw new PlanningError(`TrueEnvDynamics: stateFromEnv needs a ${this.prototypeEnv.constructor.name}, got ${describeEnv(env)}`);
    }
    if (out.length < this.stateSize) throw new PlanningError(`TrueEnvDynamics: out has length ${out.length}, need ${this.stateSize}`);
    this.root = env.getState();
    this.rootEpoch = this.nextEpoch();
    env.writeObservation(out, 0);
    out[this.observationSize] = ROOT_SLOT;
    out[this.observationSize + 1] = this.rootEpoch;
  }

  step(states: Float32Array, actions: Float32Array, batch: number, out: StepOutputs): void {
    this.ensureRows(batch);
    const epoch = this.nextEpoch();
    const S = this.stateSize;
    const O = this.observationSize;
    for (let r = 0; r < batch; r++) {
      const env = this.envs[r];
      this.restoreRow(r, env, states[r * S + O], states[r * S + O + 1]);
      if (this.discreteN > 0) this.checkDiscrete(actions[r], r);
      env.stepCore(actions, r * this.actionLanes);
      env.writeObservation(out.nextStates, r * S);
      out.nextStates[r * S + O] = r;
      out.nextStates[r * S + O + 1] = epoch;
      this.slotEpoch[r] = epoch;
      out.rewards[r] = env.reward;
      out.done[r] = env.terminated ? 1 : 0;
    }
  }

  /** Puts row r's env at the snapshot its state's handle names: the root, or row r's latest output already there. */
  private restoreRow(r: number, env: Env, slot: number, epoch: number): void {
    if (slot === ROOT_SLOT) {
      if (this.root === undefined || epoch !== this.rootEpoch) {
        throw new PlanningError(`TrueEnvDynamics: row ${r} starts from a root that is no longer live; call stateFromEnv(env) again before planning`);
      }
      env.setState(this.root);
      return;
    }
    if (slot !== r) {
      throw new PlanningError(
        `TrueEnvDynamics: row ${r} holds a state of row ${slot}; the true env keeps one env per row, so rows cannot be reordered`,
      );
    }
    if (epoch !== this.slotEpoch[r]) {
      throw new PlanningError(`TrueEnvDynamics: row ${r} holds a stale state (not the latest step's output); states cannot be reused`);
    }
  }

  private checkDiscrete(a: number, r: number): void {
    if (!(Number.isInteger(a) && a >= 0 && a < this.discreteN)) {
      throw new PlanningError(`TrueEnvDynamics: row ${r} has action ${a}, outside 0..${this.discreteN - 1}`);
    }
  }

  private nextEpoch(): number {
    this.epoch = (this.epoch + 1) % EPOCH_MOD;
    return this.epoch;
  }

  /** Grows the row pool to `batch` envs (setup cost, paid once per batch size). */
  private ensureRows(batch: number): void {
    if (!Number.isInteger(batch) || batch <= 0) throw new PlanningError(`TrueEnvDynamics: batch must be a positive integer, got ${batch}`);
    if (batch <= this.envs.length) return;
    while (this.envs.length < batch) this.envs.push(this.envs.length === 0 ? this.prototypeEnv : this.makeEnv());
    const grown = new Int32Array(batch).fill(-1);
    grown.set(this.slotEpoch);
    this.slotEpoch = grown;
  }
}

function describeEnv(env: unknown): string {
  if (env === null || typeof env !== 'object') return String(env);
  return (env as object).constructor?.name ?? 'an object';
}
