/**
 * Working memory that grows to the largest batch seen and is then reused, so steady-state inference
 * allocates nothing. Capacity rounds up to a power of two rows so a slowly growing batch reallocates
 * only a few times.
 */
export class Scratch {
  private readonly slots: Float32Array[];
  private capacityRows = 0;

  /** widths[i]: floats per batch row of buffer i. */
  constructor(private readonly widths: readonly number[]) {
    this.slots = widths.map(() => new Float32Array(0));
  }

  /** Rows every buffer currently holds. */
  get capacity(): number {
    return this.capacityRows;
  }

  /** The current buffers (same objects until a larger batch arrives). */
  buffers(): readonly Float32Array[] {
    return this.slots;
  }

  /** Buffer `slot`, large enough for `rows` rows; its contents are undefined. */
  get(slot: number, rows: number): Float32Array {
    if (rows > this.capacityRows) this.grow(rows);
    return this.slots[slot];
  }

  private grow(rows: number): void {
    let cap = Math.max(1, this.capacityRows);
    while (cap < rows) cap *= 2;
    this.capacityRows = cap;
    for (let i = 0; i < this.slots.length; i++) this.slots[i] = new Float32Array(cap * this.widths[i]);
  }
}
