/**
 * For each state, the (s, a) keys the model predicts lead to it, as intrusive doubly linked lists
 * over keys. A key lives in exactly one list (its current modelled next state), so lists never
 * hold duplicates, and a changed model moves the key in O(1).
 */
export class PredecessorLists {
  /** First key of each state's list, -1 when empty. */
  readonly head: Int32Array;
  /** Following key in the same list, -1 at the end. */
  readonly after: Int32Array;
  private readonly before: Int32Array;
  /** State whose list holds each key, -1 when in none. */
  private readonly listOf: Int32Array;

  constructor(numStates: number, numKeys: number) {
    this.head = new Int32Array(numStates).fill(-1);
    this.after = new Int32Array(numKeys).fill(-1);
    this.before = new Int32Array(numKeys).fill(-1);
    this.listOf = new Int32Array(numKeys).fill(-1);
  }

  /** Records that `key` now leads to `state`, moving it out of its previous list. */
  link(key: number, state: number): void {
    const old = this.listOf[key];
    if (old === state) return;
    if (old >= 0) this.unlink(key, old);
    const first = this.head[state];
    this.after[key] = first;
    this.before[key] = -1;
    if (first >= 0) this.before[first] = key;
    this.head[state] = key;
    this.listOf[key] = state;
  }

  /** The keys predicted to lead to `state` (allocates; for inspection, not hot loops). */
  of(state: number): number[] {
    const out: number[] = [];
    for (let k = this.head[state]; k !== -1; k = this.after[k]) out.push(k);
    return out;
  }

  private unlink(key: number, state: number): void {
    const prev = this.before[key];
    const nxt = this.after[key];
    if (prev >= 0) this.after[prev] = nxt;
    else this.head[state] = nxt;
    if (nxt >= 0) this.before[nxt] = prev;
  }
}
