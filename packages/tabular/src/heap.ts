import { requireCount } from './errors.js';

/**
 * A binary max-heap of integer keys in [0, capacity) on typed arrays, with a position index so a
 * key is held at most once: pushing a present key raises its priority (never lowers or duplicates it).
 */
export class IndexedMaxHeap {
  private readonly heapKeys: Int32Array;
  private readonly heapPrio: Float64Array;
  /** Slot of each key in the heap, -1 when absent. */
  private readonly pos: Int32Array;
  private count = 0;

  constructor(readonly capacity: number) {
    requireCount('IndexedMaxHeap', 'capacity', capacity);
    this.heapKeys = new Int32Array(capacity);
    this.heapPrio = new Float64Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  has(key: number): boolean {
    return this.pos[key] >= 0;
  }

  /** Priority of `key`, or undefined when absent. */
  priority(key: number): number | undefined {
    const i = this.pos[key];
    return i >= 0 ? this.heapPrio[i] : undefined;
  }

  /** Inserts `key`, or raises its priority to `p` if it is present with a lower one. */
  push(key: number, p: number): void {
    let i = this.pos[key];
    if (i >= 0) {
      if (p <= this.heapPrio[i]) return;
    } else {
      i = this.count++;
    }
    this.siftUp(i, key, p);
  }

  /** Removes and returns the key of highest priority; -1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const keys = this.heapKeys;
    const top = keys[0];
    this.pos[top] = -1;
    const last = --this.count;
    if (last > 0) this.siftDown(0, keys[last], this.heapPrio[last]);
    return top;
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) this.pos[this.heapKeys[i]] = -1;
    this.count = 0;
  }

  /** Places (key, p) at slot i or above, moving smaller parents down. */
  private siftUp(i: number, key: number, p: number): void {
    const keys = this.heapKeys;
    const prio = this.heapPrio;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (prio[parent] >= p) break;
      keys[i] = keys[parent];
      prio[i] = prio[parent];
      this.pos[keys[i]] = i;
      i = parent;
    }
    keys[i] = key;
    prio[i] = p;
    this.pos[key] = i;
  }

  /** Places (key, p) at slot i or below, moving larger children up. */
  private siftDown(i: number, key: number, p: number): void {
    const keys = this.heapKeys;
    const prio = this.heapPrio;
    const n = this.count;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && prio[child + 1] > prio[child]) child++;
      if (prio[child] <= p) break;
      keys[i] = keys[child];
      prio[i] = prio[child];
      this.pos[keys[i]] = i;
      i = child;
    }
    keys[i] = key;
    prio[i] = p;
    this.pos[key] = i;
  }
}
