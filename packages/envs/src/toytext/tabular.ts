import { EnvError } from '../errors.js';

/** One entry of Gymnasium's `P[s][a]` list: `(prob, next_state, reward, terminated)`. */
export interface Transition {
  prob: number;
  nextState: number;
  reward: number;
  terminated: boolean;
}

/** `P[s][a]` as Gymnasium exposes it: every state, every action, the list of possible outcomes. */
export type TransitionView = ReadonlyArray<ReadonlyArray<ReadonlyArray<Transition>>>;

/** Receives the outcomes of one (state, action) pair, in Gymnasium's list order. */
export type OutcomeSink = (prob: number, nextState: number, reward: number, terminated: boolean) => void;

/**
 * A tabular model `P[s][a]` stored as flat typed arrays (struct of arrays), so stepping is a couple of
 * indexed reads. Outcomes of pair `r = s * nA + a` live at `offsets[r] .. offsets[r + 1] - 1`.
 * `cumProb` holds the running sum of `prob` within each pair, accumulated left to right exactly as
 * `np.cumsum` does, so sampling reproduces Gymnasium's `categorical_sample` bit for bit.
 */
export class TransitionTable {
  readonly offsets: Int32Array;
  readonly prob: Float64Array;
  readonly cumProb: Float64Array;
  readonly nextState: Int32Array;
  readonly reward: Float64Array;
  readonly terminated: Uint8Array;
  private view: TransitionView | undefined;

  /** Calls `build(s, a, add)` for every pair in order; `add` appends one outcome. */
  constructor(readonly nS: number, readonly nA: number, build: (s: number, a: number, add: OutcomeSink) => void) {
    const offsets = new Int32Array(nS * nA + 1);
    const prob: number[] = [];
    const next: number[] = [];
    const reward: number[] = [];
    const term: number[] = [];
    const add: OutcomeSink = (p, ns, r, t) => {
      if (!Number.isInteger(ns) || ns < 0 || ns >= nS) throw new EnvError(`transition to invalid state ${ns}`);
      prob.push(p);
      next.push(ns);
      reward.push(r);
      term.push(t ? 1 : 0);
    };
    for (let s = 0; s < nS; s++) {
      for (let a = 0; a < nA; a++) {
        build(s, a, add);
        offsets[s * nA + a + 1] = prob.length;
      }
    }
    this.offsets = offsets;
    this.prob = Float64Array.from(prob);
    this.nextState = Int32Array.from(next);
    this.reward = Float64Array.from(reward);
    this.terminated = Uint8Array.from(term);
    this.cumProb = new Float64Array(prob.length);
    for (let r = 0; r < nS * nA; r++) {
      let acc = 0;
      for (let k = offsets[r]; k < offsets[r + 1]; k++) this.cumProb[k] = acc += prob[k];
    }
  }

  /**
   * Index (into the flat arrays) of the outcome `categorical_sample` picks for pair (s, a) given one
   * uniform draw `u`. No allocation.
   */
  sample(s: number, a: number, u: number): number {
    const r = s * this.nA + a;
    return firstAbove(this.cumProb, this.offsets[r], this.offsets[r + 1], u);
  }

  /** Number of outcomes listed for (s, a). */
  count(s: number, a: number): number {
    const r = s * this.nA + a;
    return this.offsets[r + 1] - this.offsets[r];
  }

  /** The outcomes of (s, a) as fresh objects. */
  outcomes(s: number, a: number): Transition[] {
    const r = s * this.nA + a;
    const out: Transition[] = [];
    for (let k = this.offsets[r]; k < this.offsets[r + 1]; k++) {
      out.push({ prob: this.prob[k], nextState: this.nextState[k], reward: this.reward[k], terminated: this.terminated[k] === 1 });
    }
    return out;
  }

  /** Gymnasium's `P` as nested arrays of objects, built on first use (the step kernel never needs it). */
  get P(): TransitionView {
    if (this.view === undefined) {
      const view: Transition[][][] = [];
      for (let s = 0; s < this.nS; s++) {
        const row: Transition[][] = [];
        for (let a = 0; a < this.nA; a++) row.push(this.outcomes(s, a).map((t) => Object.freeze(t)));
        view.push(row);
      }
      this.view = view;
    }
    return this.view;
  }
}

/**
 * `np.argmax(cum[lo:hi] > u)` mapped back to an absolute index: the first entry above `u`, or `lo` when
 * none is (argmax of an all-false array is 0). `cum` is non-decreasing, so a binary search finds it.
 */
export function firstAbove(cum: Float64Array, lo: number, hi: number, u: number): number {
  let left = lo;
  let right = hi;
  while (left < right) {
    const mid = (left + right) >>> 1;
    if (cum[mid] > u) right = mid;
    else left = mid + 1;
  }
  return left < hi ? left : lo;
}

/** `np.cumsum(weights)`: sequential float64 accumulation. */
export function cumulativeSum(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) out[i] = acc += weights[i];
  return out;
}

/**
 * Gymnasium's `initial_state_distrib`: a count per state divided by the total, as `arr /= arr.sum()`
 * does. The counts are small integers, so the sum is exact whatever order NumPy adds them in.
 */
export function normalizedCounts(counts: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total <= 0) throw new EnvError('initial state distribution is empty');
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i] / total;
  return out;
}

const ANSI_COLORS = { gray: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, crimson: 38 } as const;
export type AnsiColor = keyof typeof ANSI_COLORS;

/** `gymnasium.utils.colorize`: wraps text in ANSI escape codes (highlight = background colour). */
export function colorize(text: string, color: AnsiColor, bold = false, highlight = false): string {
  const attrs = [String(ANSI_COLORS[color] + (highlight ? 10 : 0))];
  if (bold) attrs.push('1');
  return `\x1b[${attrs.join(';')}m${text}\x1b[0m`;
}
