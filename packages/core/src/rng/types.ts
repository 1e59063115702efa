/**
 * The draws that Gymnasium environments make on `self.np_random` (a NumPy `Generator` over `PCG64`).
 * Every implementation must produce bit-identical values to NumPy for the same seed and call order.
 */
export interface NumpyRandom {
  /** `Generator.random()`: a float64 in [0, 1). */
  random(): number;
  /** `Generator.uniform(low, high)` for scalars: `low + (high - low) * random()`. */
  uniform(low: number, high: number): number;
  /** `Generator.integers(low, high)` for a scalar int64 in [low, high). */
  integers(low: number, high: number): number;
}
