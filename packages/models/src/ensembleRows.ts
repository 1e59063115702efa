/**
 * The ensemble's raw network rows, read on the JS side: each row is [mean (d), raw log-variance (d),
 * termination logit] with d = stateSize + 1, in normalised units. Doing this arithmetic in plain loops
 * over one readback is much cheaper than a dozen small tensor ops per prediction.
 */

/** PETS's soft clamp of a raw log-variance between the learned bounds (the same formula as `heads`). */
export function boundedLogvar(raw: number, min: number, max: number): number {
  const upper = max - softplus(max - raw);
  return min + softplus(upper - min);
}

export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * Mean and population variance over the E member rows of row b (raw is member-major [E, batch, width]):
 * the first d columns into mu and variance.
 */
export function memberMoments(raw: Float32Array, E: number, batch: number, width: number, d: number, b: number, mu: Float32Array, variance: Float32Array): void {
  mu.fill(0, 0, d);
  variance.fill(0, 0, d);
  for (let e = 0; e < E; e++) {
    const o = (e * batch + b) * width;
    for (let k = 0; k < d; k++) mu[k] += raw[o + k];
  }
  for (let k = 0; k < d; k++) mu[k] /= E;
  for (let e = 0; e < E; e++) {
    const o = (e * batch + b) * width;
    for (let k = 0; k < d; k++) {
      const dev = raw[o + k] - mu[k];
      variance[k] += dev * dev;
    }
  }
  for (let k = 0; k < d; k++) variance[k] /= E;
}

/**
 * Counting sort of rows by member, so each member runs once on one contiguous block: `counts[m]` rows
 * for member m, and row b lands in slot `slotOf[b]` of the grouped batch (`next` is scratch of `members`
 * entries). Throws on a bad member index.
 */
export function groupByMember(
  memberIndex: ArrayLike<number>,
  batch: number,
  members: number,
  out: { counts: Int32Array; slotOf: Int32Array; next: Int32Array },
): void {
  const { counts, slotOf, next } = out;
  counts.fill(0, 0, members);
  for (let b = 0; b < batch; b++) {
    const m = memberIndex[b];
    if (!Number.isInteger(m) || m < 0 || m >= members) throw new Error(`memberIndex[${b}] is ${m}, outside [0, ${members})`);
    counts[m]++;
  }
  let start = 0;
  for (let m = 0; m < members; m++) {
    next[m] = start;
    start += counts[m];
  }
  for (let b = 0; b < batch; b++) slotOf[b] = next[memberIndex[b]]++;
}
