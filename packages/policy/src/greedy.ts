/**
 * Per-row reductions of a [batch, numActions] Q matrix: argmax (lowest index wins ties), max, softmax.
 */

/** actions[i] = argmax_a q[i, a]; values[i] = max_a q[i, a] when given. NaN entries never win. */
export function greedyRows(q: Float32Array, batch: number, numActions: number, actions: Int32Array, values?: Float32Array): void {
  for (let i = 0; i < batch; i++) {
    const base = i * numActions;
    let best = q[base];
    let arg = 0;
    for (let a = 1; a < numActions; a++) {
      const v = q[base + a];
      // Strict > keeps the lowest index on ties; a number replaces a NaN that came first.
      if (v > best || (best !== best && v === v)) {
        best = v;
        arg = a;
      }
    }
    actions[i] = arg;
    if (values !== undefined) values[i] = best;
  }
}

/** probs[i, :] = softmax(q[i, :]), shifted by the row max so large Q-values do not overflow. */
export function softmaxRows(q: Float32Array, batch: number, numActions: number, probs: Float32Array): void {
  for (let i = 0; i < batch; i++) {
    const base = i * numActions;
    let max = q[base];
    for (let a = 1; a < numActions; a++) if (q[base + a] > max) max = q[base + a];
    let sum = 0;
    for (let a = 0; a < numActions; a++) {
      const e = Math.exp(q[base + a] - max);
      probs[base + a] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let a = 0; a < numActions; a++) probs[base + a] *= inv;
  }
}
