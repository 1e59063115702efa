/**
 * The acting interface shared by every policy kind, and the input checks and greedy read-out they share.
 */
import { describeValue, PolicyInputError } from './errors.js';
import { greedyRows, softmaxRows } from './greedy.js';
import { Scratch } from './scratch.js';
import { obsSizeOf, type PolicySpec } from './spec.js';

export interface ActExtras {
  /** Per row: max_a Q(obs, a), the greedy action's value. Length >= batch. */
  values?: Float32Array;
  /** Per row: softmax over the Q-values (temperature 1), row-major [batch, numActions]. */
  probs?: Float32Array;
}

export interface Policy {
  readonly spec: PolicySpec;
  /** Floats per observation row. */
  readonly obsSize: number;
  readonly numActions: number;
  /**
   * Greedy actions for `batch` row-major observations: argmax_a Q, the lowest index on ties.
   * Allocates nothing once its scratch has grown to the largest batch seen.
   */
  act(obs: Float32Array, batch: number, actions: Int32Array, extras?: ActExtras): void;
  /** Q-values for `batch` observations into `out` ([batch, numActions], row-major). */
  qValues(obs: Float32Array, batch: number, out: Float32Array): void;
}

/** Input validation and the act() read-out over a kind-specific `forward`. */
export abstract class QPolicy implements Policy {
  readonly obsSize: number;
  readonly numActions: number;
  /** Reused working memory: slot 0 holds act()'s Q-values; subclasses add their own slots. */
  readonly scratch: Scratch;

  protected constructor(readonly spec: PolicySpec, extraScratchWidths: readonly number[] = []) {
    this.obsSize = obsSizeOf(spec);
    this.numActions = spec.numActions;
    this.scratch = new Scratch([spec.numActions, ...extraScratchWidths]);
  }

  act(obs: Float32Array, batch: number, actions: Int32Array, extras?: ActExtras): void {
    checkBatch(batch);
    requireLength('actions', actions, Int32Array, batch, `batch ${batch}`);
    const values = extras?.values;
    const probs = extras?.probs;
    if (values !== undefined) requireLength('extras.values', values, Float32Array, batch, `batch ${batch}`);
    if (probs !== undefined) requireLength('extras.probs', probs, Float32Array, batch * this.numActions, `batch ${batch} × numActions ${this.numActions}`);
    const q = this.scratch.get(0, batch);
    this.checkObs(obs, batch);
    this.forward(obs, batch, q);
    greedyRows(q, batch, this.numActions, actions, values);
    if (probs !== undefined) softmaxRows(q, batch, this.numActions, probs);
  }

  qValues(obs: Float32Array, batch: number, out: Float32Array): void {
    checkBatch(batch);
    requireLength('out', out, Float32Array, batch * this.numActions, `batch ${batch} × numActions ${this.numActions}`);
    this.checkObs(obs, batch);
    this.forward(obs, batch, out);
  }

  /** Q-values of checked inputs; `out` has room for batch × numActions. */
  protected abstract forward(obs: Float32Array, batch: number, out: Float32Array): void;

  /** Kind-specific check of one finite observation row; returns a problem or null. */
  protected abstract rowProblem(obs: Float32Array, row: number): string | null;

  private checkObs(obs: Float32Array, batch: number): void {
    const d = this.obsSize;
    requireLength('obs', obs, Float32Array, batch * d, `batch ${batch} × obsSize ${d}`);
    for (let i = 0; i < batch; i++) {
      const base = i * d;
      for (let k = 0; k < d; k++) {
        const v = obs[base + k];
        // v - v is 0 for every finite v and NaN for NaN and ±Infinity.
        if (v - v !== 0) throw new PolicyInputError(`obs row ${i} has a non-finite value ${v} at feature ${k}`);
      }
      const problem = this.rowProblem(obs, i);
      if (problem !== null) throw new PolicyInputError(`obs row ${i}: ${problem}`);
    }
  }
}

function checkBatch(batch: number): void {
  if (!Number.isSafeInteger(batch) || batch < 0) throw new PolicyInputError(`batch must be an integer >= 0, got ${String(batch)}`);
}

function requireLength(
  name: string,
  arr: unknown,
  ctor: Float32ArrayConstructor | Int32ArrayConstructor,
  need: number,
  why: string,
): void {
  if (!(arr instanceof ctor)) throw new PolicyInputError(`${name} must be a ${ctor.name}, got ${describeValue(arr)}`);
  if (arr.length < need) throw new PolicyInputError(`${name} has ${arr.length} values; ${why} needs ${need}`);
}
