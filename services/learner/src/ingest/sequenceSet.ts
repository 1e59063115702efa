/**
 * The sequence numbers stored for one actor, kept compactly: every number below `floor` is stored,
 * plus a small set of numbers above it (chunks that arrived out of order after a resend). As the gap
 * closes, the set drains into `floor`, so a well-behaved actor costs one number.
 */
export interface SequenceSetState {
  floor: number;
  above: number[];
}

export class SequenceSet {
  private floor = 0;
  private readonly above = new Set<number>();

  has(sequence: number): boolean {
    return sequence < this.floor || this.above.has(sequence);
  }

  /** Records `sequence`; returns false when it was already recorded. */
  add(sequence: number): boolean {
    if (this.has(sequence)) return false;
    if (sequence === this.floor) {
      this.floor++;
      while (this.above.delete(this.floor)) this.floor++;
    } else {
      this.above.add(sequence);
    }
    return true;
  }

  /** Numbers held above the contiguous run (for tests and metrics). */
  get pending(): number {
    return this.above.size;
  }

  state(): SequenceSetState {
    return { floor: this.floor, above: [...this.above].sort((a, b) => a - b) };
  }

  static from(state: SequenceSetState): SequenceSet {
    const s = new SequenceSet();
    s.floor = state.floor;
    for (const n of state.above) s.add(n);
    return s;
  }
}

/** Per-actor sequence sets: which (actorId, sequence) pairs are already stored. */
export class DedupIndex {
  private readonly actors = new Map<string, SequenceSet>();

  has(actorId: string, sequence: number): boolean {
    return this.actors.get(actorId)?.has(sequence) ?? false;
  }

  /** Records the pair; false when it was recorded before. */
  add(actorId: string, sequence: number): boolean {
    let set = this.actors.get(actorId);
    if (set === undefined) {
      set = new SequenceSet();
      this.actors.set(actorId, set);
    }
    return set.add(sequence);
  }

  state(): Record<string, SequenceSetState> {
    const out: Record<string, SequenceSetState> = {};
    for (const [id, set] of this.actors) out[id] = set.state();
    return out;
  }

  static from(state: Record<string, SequenceSetState>): DedupIndex {
    const index = new DedupIndex();
    for (const [id, s] of Object.entries(state)) index.actors.set(id, SequenceSet.from(s));
    return index;
  }
}
