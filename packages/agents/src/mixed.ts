/** Minibatches that mix real and model-generated transitions in a fixed ratio. */
import type { NumpyRandom, TransitionBatch, TransitionReplay } from '@reverie/core';

export class MixedSampler {
  private readonly out: TransitionBatch;
  private readonly realBuf: TransitionBatch;
  private readonly synBuf: TransitionBatch;
  /** Rows of the last batch that came from the real replay. */
  lastReal = 0;

  constructor(
    readonly real: TransitionReplay,
    readonly synthetic: TransitionReplay,
    readonly batchSize: number,
    readonly realRatio: number,
  ) {
    if (!(realRatio >= 0 && realRatio <= 1)) throw new Error(`realRatio: expected a number in [0, 1], got ${realRatio}`);
    this.out = real.createBatch(batchSize);
    this.realBuf = real.createBatch(batchSize);
    this.synBuf = synthetic.createBatch(batchSize);
  }

  /**
   * round(batchSize · realRatio) real rows and the rest synthetic; all real while the synthetic replay
   * is empty, which is always the case for plain DQN (`model: 'none'`).
   */
  sample(rng: NumpyRandom): TransitionBatch {
    const b = this.batchSize;
    const nReal = this.synthetic.size === 0 ? b : Math.round(b * this.realRatio);
    let row = 0;
    if (nReal > 0) row = this.copy(this.real.sample(nReal, rng, this.realBuf), row);
    if (nReal < b) row = this.copy(this.synthetic.sample(b - nReal, rng, this.synBuf), row);
    this.lastReal = nReal;
    this.out.size = row;
    return this.out;
  }

  private copy(src: TransitionBatch, row: number): number {
    const o = this.real.obsSize;
    const a = this.real.actionSize;
    const dst = this.out;
    dst.obs.set(src.obs.subarray(0, src.size * o), row * o);
    dst.nextObs.set(src.nextObs.subarray(0, src.size * o), row * o);
    dst.actions.set(src.actions.subarray(0, src.size * a), row * a);
    dst.rewards.set(src.rewards.subarray(0, src.size), row);
    dst.terminated.set(src.terminated.subarray(0, src.size), row);
    dst.truncated.set(src.truncated.subarray(0, src.size), row);
    return row + src.size;
  }
}
