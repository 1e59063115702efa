/** The q-table policy: each observation is a state index, its Q-values are a row of the table. */
import { QPolicy } from './policy.js';
import type { QTableSpec } from './spec.js';

export class QTablePolicy extends QPolicy {
  declare readonly spec: QTableSpec;

  /** q: [numStates, numActions] row-major. Taken as given (checked by the caller). */
  constructor(spec: QTableSpec, private readonly q: Float32Array) {
    super(spec);
  }

  protected forward(obs: Float32Array, batch: number, out: Float32Array): void {
    const nA = this.numActions;
    const q = this.q;
    // An element loop, not out.set(q.subarray(...)): a subarray view per row would allocate.
    for (let i = 0; i < batch; i++) {
      const from = obs[i] * nA;
      const to = i * nA;
      for (let a = 0; a < nA; a++) out[to + a] = q[from + a];
    }
  }

  protected rowProblem(obs: Float32Array, row: number): string | null {
    const s = obs[row];
    if (Number.isInteger(s) && s >= 0 && s < this.spec.numStates) return null;
    return `state index must be an integer in [0, ${this.spec.numStates}), got ${s}`;
  }
}
