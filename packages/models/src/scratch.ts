/**
 * Grow-on-demand typed buffers owned by one model, so the prediction hot path (a planner calls it every
 * horizon step) allocates nothing once the largest batch has been seen. A buffer may be longer than asked.
 */
export class Scratch {
  private readonly floats = new Map<string, Float32Array>();
  private readonly ints = new Map<string, Int32Array>();

  f32(name: string, length: number): Float32Array {
    const have = this.floats.get(name);
    if (have !== undefined && have.length >= length) return have;
    const made = new Float32Array(length);
    this.floats.set(name, made);
    return made;
  }

  i32(name: string, length: number): Int32Array {
    const have = this.ints.get(name);
    if (have !== undefined && have.length >= length) return have;
    const made = new Int32Array(length);
    this.ints.set(name, made);
    return made;
  }
}
