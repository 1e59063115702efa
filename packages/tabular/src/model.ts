import { TabularError, requireCount } from './errors.js';

/**
 * A deterministic tabular model: the last observed (reward, next state, terminal) for every
 * visited (s, a), in flat typed arrays indexed by the key `s * numActions + a`.
 *
 * `keys[0..size)` lists the visited keys so planning can sample one uniformly with a single
 * random integer and no copying.
 */
export class TabularModel {
  readonly numStates: number;
  readonly numActions: number;
  readonly reward: Float64Array;
  readonly next: Int32Array;
  /** 1 where the recorded transition ended the episode (terminated, not truncated). */
  readonly terminal: Uint8Array;
  /** 1 for keys present in `keys`. */
  readonly seen: Uint8Array;
  readonly keys: Int32Array;
  private count = 0;

  constructor(numStates: number, numActions: number) {
    this.numStates = requireCount('TabularModel', 'numStates', numStates);
    this.numActions = requireCount('TabularModel', 'numActions', numActions);
    const n = numStates * numActions;
    this.reward = new Float64Array(n);
    this.next = new Int32Array(n);
    this.terminal = new Uint8Array(n);
    this.seen = new Uint8Array(n);
    this.keys = new Int32Array(n);
  }

  /** Number of (s, a) pairs in the model. */
  get size(): number {
    return this.count;
  }

  /** Overwrites the model of `key` with the latest outcome; a new key joins the sample list. */
  record(key: number, r: number, s2: number, terminal: boolean): void {
    if (this.seen[key] === 0) {
      this.seen[key] = 1;
      this.keys[this.count++] = key;
    }
    this.reward[key] = r;
    this.next[key] = s2;
    this.terminal[key] = terminal ? 1 : 0;
  }

  has(s: number, a: number): boolean {
    return this.seen[this.keyOf(s, a)] === 1;
  }

  /** The recorded outcome of (s, a), or undefined if never recorded. For inspection, not hot loops. */
  get(s: number, a: number): { reward: number; next: number; terminal: boolean } | undefined {
    const k = this.keyOf(s, a);
    if (this.seen[k] === 0) return undefined;
    return { reward: this.reward[k], next: this.next[k], terminal: this.terminal[k] === 1 };
  }

  private keyOf(s: number, a: number): number {
    if (!Number.isInteger(s) || s < 0 || s >= this.numStates) throw new TabularError(`TabularModel: state must be in [0, ${this.numStates}), got ${s}`);
    if (!Number.isInteger(a) || a < 0 || a >= this.numActions) throw new TabularError(`TabularModel: action must be in [0, ${this.numActions}), got ${a}`);
    return s * this.numActions + a;
  }
}
