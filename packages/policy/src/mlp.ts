/** The mlp-q policy: a dense network evaluated on the CPU in plain typed arrays. */
import { denseRows, reluInPlace, tanhInPlace, transpose } from './dense.js';
import { QPolicy } from './policy.js';
import { layerSizes, type MlpQSpec } from './spec.js';

export class MlpQPolicy extends QPolicy {
  declare readonly spec: MlpQSpec;
  private readonly sizes: number[];
  /** Layer l's weights transposed to [sizes[l+1], sizes[l]], the kernel's layout. */
  private readonly weightsT: Float32Array[];
  private readonly biases: Float32Array[];
  private readonly activate: (y: Float32Array, n: number) => void;

  /** weights[l]: [sizes[l], sizes[l+1]] row-major; biases[l]: [sizes[l+1]]. Taken as given (checked by the caller). */
  constructor(spec: MlpQSpec, weights: Float32Array[], biases: Float32Array[]) {
    const widest = spec.hidden.length === 0 ? 0 : Math.max(...spec.hidden);
    // Two hidden-activation slots, used alternately layer after layer.
    super(spec, spec.hidden.length === 0 ? [] : [widest, widest]);
    this.sizes = layerSizes(spec);
    this.weightsT = weights.map((w, l) => transpose(w, this.sizes[l], this.sizes[l + 1]));
    this.biases = biases;
    this.activate = spec.activation === 'relu' ? reluInPlace : tanhInPlace;
  }

  protected forward(obs: Float32Array, batch: number, out: Float32Array): void {
    const last = this.weightsT.length - 1;
    let x = obs;
    for (let l = 0; l <= last; l++) {
      const nOut = this.sizes[l + 1];
      const y = l === last ? out : this.scratch.get(1 + (l & 1), batch);
      denseRows(x, batch, this.sizes[l], this.weightsT[l], this.biases[l], nOut, y);
      if (l < last) this.activate(y, batch * nOut);
      x = y;
    }
  }

  protected rowProblem(): string | null {
    return null;
  }
}
