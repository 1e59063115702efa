/**
 * How a world model sees its inputs: the action encoding, normalisation statistics, and the checks
 * that turn bad batches (wrong length, NaN, out-of-range action) into errors naming the field.
 */

/** Discrete actions are stored as the index (one float) and fed one-hot; Box actions are fed raw. */
export type ActionSpec = { type: 'discrete'; n: number; start?: number } | { type: 'box'; size: number };

/** Builds an ActionSpec from an env action space (`Discrete` has `n`, `Box` has `shape`). */
export function actionSpecOf(space: { n: number; start?: number } | { shape: readonly number[] }): ActionSpec {
  if ('n' in space) return { type: 'discrete', n: space.n, start: space.start ?? 0 };
  return { type: 'box', size: space.shape.reduce((a, b) => a * b, 1) };
}

/** Floats per action as stored in replay and passed to `predict`. */
export function rawActionSize(a: ActionSpec): number {
  return a.type === 'discrete' ? 1 : a.size;
}

/** Floats per action as fed to the network. */
export function encodedActionSize(a: ActionSpec): number {
  return a.type === 'discrete' ? a.n : a.size;
}

export function describeAction(a: ActionSpec): string {
  return a.type === 'discrete' ? `discrete(${a.n}${a.start ? `, start ${a.start}` : ''})` : `box(${a.size})`;
}

export function checkActionSpec(a: ActionSpec): void {
  const size = a.type === 'discrete' ? a.n : a.size;
  if (!Number.isSafeInteger(size) || size <= 0) throw new Error(`action: expected a positive ${a.type === 'discrete' ? 'n' : 'size'}, got ${size}`);
}

/** Mean and standard deviation per column; `std` is floored so near-constant columns do not explode. */
export interface NormStats {
  mean: Float32Array;
  std: Float32Array;
}

export function identityStats(width: number): NormStats {
  return { mean: new Float32Array(width), std: new Float32Array(width).fill(1) };
}

/** Column statistics of `rows` (indices into `data`, a row-major [n, width] array), in float64. */
export function fitStats(data: Float32Array, width: number, rows: Int32Array, stdFloor: number): NormStats {
  const n = rows.length;
  const sum = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let r = 0; r < n; r++) {
    const o = rows[r] * width;
    for (let k = 0; k < width; k++) sum[k] += data[o + k];
  }
  for (let k = 0; k < width; k++) sum[k] /= Math.max(n, 1);
  for (let r = 0; r < n; r++) {
    const o = rows[r] * width;
    for (let k = 0; k < width; k++) {
      const d = data[o + k] - sum[k];
      sq[k] += d * d;
    }
  }
  const stats = identityStats(width);
  for (let k = 0; k < width; k++) {
    stats.mean[k] = sum[k];
    stats.std[k] = Math.max(Math.sqrt(sq[k] / Math.max(n, 1)), stdFloor);
  }
  return stats;
}

export function statsToJson(s: NormStats): string {
  return JSON.stringify({ mean: [...s.mean], std: [...s.std] });
}

export function statsFromJson(field: string, text: string | undefined, width: number): NormStats {
  if (text === undefined) throw new Error(`model file: metadata '${field}' is missing`);
  const v = JSON.parse(text) as { mean?: unknown; std?: unknown };
  if (!Array.isArray(v.mean) || !Array.isArray(v.std) || v.mean.length !== width || v.std.length !== width) {
    throw new Error(`model file: metadata '${field}' does not hold ${width} means and stds`);
  }
  return { mean: Float32Array.from(v.mean as number[]), std: Float32Array.from(v.std as number[]) };
}

/** Throws naming the field when a flat batch has the wrong length or a non-finite value. */
export function checkBatch(field: string, data: ArrayLike<number>, batch: number, width: number): void {
  if (!Number.isSafeInteger(batch) || batch <= 0) throw new Error(`batch: expected a positive integer, got ${batch}`);
  if (data.length !== batch * width) {
    throw new Error(`${field}: expected ${batch} × ${width} = ${batch * width} values, got ${data.length} (is the ${field === 'states' ? 'state dimension' : 'action size'} right?)`);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new Error(`${field}[${i}] (row ${Math.floor(i / width)}, column ${i % width}) is ${data[i]}`);
  }
}

/**
 * Writes normalised network inputs, row-major [batch, stateSize + encodedActionSize], into `out`:
 * the state part and Box actions through `stats`, Discrete actions one-hot (left unnormalised).
 * With `rowOf`, input row b goes to output row rowOf[b] (grouping rows by ensemble member as they are encoded).
 */
export function encodeInputs(
  states: ArrayLike<number>,
  actions: ArrayLike<number>,
  batch: number,
  stateSize: number,
  action: ActionSpec,
  stats: NormStats,
  out: Float32Array,
  rowOf?: Int32Array,
): void {
  const enc = encodedActionSize(action);
  const width = stateSize + enc;
  for (let b = 0; b < batch; b++) {
    const o = (rowOf === undefined ? b : rowOf[b]) * width;
    for (let k = 0; k < stateSize; k++) out[o + k] = (states[b * stateSize + k] - stats.mean[k]) / stats.std[k];
    if (action.type === 'discrete') {
      const a = actions[b] - (action.start ?? 0);
      if (!Number.isInteger(a) || a < 0 || a >= action.n) {
        throw new Error(`actions[${b}] is ${actions[b]}, not a valid action of ${describeAction(action)}`);
      }
      out.fill(0, o + stateSize, o + width);
      out[o + stateSize + a] = 1;
    } else {
      for (let k = 0; k < enc; k++) {
        const c = stateSize + k;
        out[o + c] = (actions[b * enc + k] - stats.mean[c]) / stats.std[c];
      }
    }
  }
}
