/**
 * PETS-style probabilistic ensemble (Chua et al. 2018): N MLPs, each with Gaussian heads (mean and
 * log-variance) for the state delta and reward plus a termination logit, trained with Gaussian NLL
 * on its own bootstrap of the data. Log-variance is squashed between learned soft bounds so it can
 * neither collapse (infinite confidence) nor blow up far from the data.
 *
 * Defaults: 5 members, all of them elites (the original PETS); MBPO-style 7 members / 5 elites is
 * `{ members: 7, elites: 5 }`. Elites are the members with the lowest held-out loss.
 */
import { tf } from '@reverie/nn';
import { type HeadOutputs, positiveInt, WorldModelBase, type WorldModelOptions, type WorldModelPrediction } from './base.js';

export interface EnsembleOptions extends WorldModelOptions {
  /** Members (default 5). */
  members?: number;
  /** Members used by `predict` after training (default: all). */
  elites?: number;
}

export interface EnsemblePrediction extends WorldModelPrediction {
  /** Mean over elites of each member's predicted variance, raw units: [batch × stateSize]. */
  stateAleatoricVar: Float32Array;
  /** Variance across elites of the members' mean predictions, raw units: [batch × stateSize]. */
  stateEpistemicVar: Float32Array;
  rewardAleatoricVar: Float32Array;
  rewardEpistemicVar: Float32Array;
  /** Epistemic variance averaged over the normalised state dimensions: one scale-free number per row. */
  disagreement: Float32Array;
}

/** Weight of the log-variance bound regulariser, as in PETS / mbrl-lib. */
const LOGVAR_BOUND_WEIGHT = 0.01;

export class ProbabilisticEnsemble extends WorldModelBase {
  readonly kind = 'ensemble' as const;
  readonly numElites: number;
  /** Soft bounds on log-variance, shared by members: [1, 1, stateSize + 1]. */
  readonly maxLogvar: tf.Variable<tf.Rank.R3>;
  readonly minLogvar: tf.Variable<tf.Rank.R3>;
  private eliteIdx: Int32Array;

  constructor(options: EnsembleOptions) {
    const members = options.members ?? 5;
    positiveInt('members', members);
    // Outputs: (stateSize + 1) means, as many log-variances, 1 termination logit.
    super(options, members, (s) => 2 * (s + 1) + 1);
    const elites = options.elites ?? members;
    if (!Number.isSafeInteger(elites) || elites < 1 || elites > members) {
      throw new Error(`elites: expected an integer in [1, ${members}], got ${elites}`);
    }
    this.numElites = elites;
    this.eliteIdx = Int32Array.from({ length: elites }, (_, i) => i);
    const d = this.stateSize + 1;
    this.maxLogvar = tf.tidy(() => tf.variable(tf.fill([1, 1, d], 0.5)));
    this.minLogvar = tf.tidy(() => tf.variable(tf.fill([1, 1, d], -10)));
  }

  /** Member indices `predict` averages over, best first once trained. */
  get elites(): Int32Array {
    return this.eliteIdx.slice();
  }

  /** Keeps the `numElites` members with the lowest scores (held-out losses). */
  override selectElites(scores: ArrayLike<number>): void {
    if (scores.length !== this.members) throw new Error(`selectElites: expected ${this.members} scores, got ${scores.length}`);
    const order = Array.from({ length: this.members }, (_, i) => i).sort((a, b) => scores[a] - scores[b] || a - b);
    this.eliteIdx = Int32Array.from(order.slice(0, this.numElites));
  }

  /** Sets the elites directly (e.g. from a saved file). */
  setElites(indices: ArrayLike<number>): void {
    if (indices.length !== this.numElites) throw new Error(`elites: expected ${this.numElites} indices, got ${indices.length}`);
    for (const i of Array.from(indices)) {
      if (!Number.isInteger(i) || i < 0 || i >= this.members) throw new Error(`elites: member ${i} is outside [0, ${this.members})`);
    }
    this.eliteIdx = Int32Array.from(indices);
  }

  heads(x: tf.Tensor3D): HeadOutputs {
    const out = this.net.forward(x);
    const d = this.stateSize + 1;
    const raw = tf.slice(out, [0, 0, d], [-1, -1, d]);
    // PETS soft bounds: smooth clamps that keep gradients alive near the limits.
    const upper = tf.sub(this.maxLogvar, tf.softplus(tf.sub(this.maxLogvar, raw)));
    const logvar = tf.add(this.minLogvar, tf.softplus(tf.sub(upper, this.minLogvar))) as tf.Tensor3D;
    return { mean: tf.slice(out, [0, 0, 0], [-1, -1, d]), logvar, logit: tf.slice(out, [0, 0, 2 * d], [-1, -1, 1]) };
  }

  /** Gaussian NLL (without the constant) per member, summed over members, + termination BCE + bound regulariser. */
  protected objective(h: HeadOutputs, _y: tf.Tensor3D, sq: tf.Tensor3D, term: tf.Tensor1D): tf.Scalar {
    const logvar = h.logvar as tf.Tensor3D;
    const nll = tf.mean(tf.add(tf.mul(sq, tf.exp(tf.neg(logvar))), logvar), [1, 2]);
    const bound = tf.mul(LOGVAR_BOUND_WEIGHT, tf.sub(tf.sum(this.maxLogvar), tf.sum(this.minLogvar)));
    return tf.add(tf.sum(tf.add(nll, term)), bound) as tf.Scalar;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.net.variables(), this.maxLogvar, this.minLogvar];
  }

  override sharedVariables(): tf.Variable[] {
    return [this.maxLogvar, this.minLogvar];
  }

  namedVariables(): Record<string, tf.Variable> {
    return { ...this.net.named(), maxLogvar: this.maxLogvar, minLogvar: this.minLogvar };
  }

  /** Elite-averaged prediction with aleatoric and epistemic variance. */
  predict(states: ArrayLike<number>, actions: ArrayLike<number>, batch: number): EnsemblePrediction {
    const x = this.encode(states, actions, batch);
    const d = this.stateSize + 1;
    // One pass over all members (x broadcasts over the member axis), then keep the elites.
    const [mu, alea, epi, prob] = tf.tidy(() => {
      const h = this.heads(tf.tensor3d(x, [1, batch, this.inputSize]));
      const idx = tf.tensor1d(this.eliteIdx, 'int32');
      const means = tf.gather(h.mean, idx);
      const { mean, variance } = tf.moments(means, 0);
      const aleatoric = tf.mean(tf.exp(tf.gather(h.logvar as tf.Tensor3D, idx)), 0);
      const p = tf.mean(tf.sigmoid(tf.gather(h.logit, idx)), 0);
      return [mean, aleatoric, variance, p].map((t) => t.dataSync() as Float32Array);
    });
    const s = this.stateSize;
    const std = this.targetStats.std;
    const out: EnsemblePrediction = {
      nextStates: new Float32Array(batch * s),
      rewards: new Float32Array(batch),
      terminatedProb: Float32Array.from(prob),
      stateAleatoricVar: new Float32Array(batch * s),
      stateEpistemicVar: new Float32Array(batch * s),
      rewardAleatoricVar: new Float32Array(batch),
      rewardEpistemicVar: new Float32Array(batch),
      disagreement: new Float32Array(batch),
    };
    this.decodeMeans(states, mu, batch, out);
    for (let b = 0; b < batch; b++) {
      let dis = 0;
      for (let k = 0; k < s; k++) {
        out.stateAleatoricVar[b * s + k] = alea[b * d + k] * std[k] * std[k];
        out.stateEpistemicVar[b * s + k] = epi[b * d + k] * std[k] * std[k];
        dis += epi[b * d + k];
      }
      out.disagreement[b] = dis / s;
      out.rewardAleatoricVar[b] = alea[b * d + s] * std[s] * std[s];
      out.rewardEpistemicVar[b] = epi[b * d + s] * std[s] * std[s];
    }
    return out;
  }

  /**
   * PETS TS∞ propagation: row b follows member `memberIndex[b]` for the whole rollout. Rows are
   * grouped by member into one [members, rowsPerMember, in] batch, so the cost is one pass over the
   * batch, not one per member. With `rng`, the next state and reward are sampled from that member's
   * Gaussian (aleatoric noise); without, they are its mean.
   */
  predictMembers(
    states: ArrayLike<number>,
    actions: ArrayLike<number>,
    memberIndex: Int32Array,
    rng?: { standardNormal(): number },
  ): WorldModelPrediction {
    const batch = memberIndex.length;
    const x = this.encode(states, actions, batch);
    const { slotOf, perMember } = this.groupRows(memberIndex);
    const inSize = this.inputSize;
    const grouped = new Float32Array(this.members * perMember * inSize);
    for (let b = 0; b < batch; b++) grouped.set(x.subarray(b * inSize, (b + 1) * inSize), slotOf[b] * inSize);
    const width = 2 * (this.stateSize + 1) + 1;
    const raw = tf.tidy(() => {
      const h = this.heads(tf.tensor3d(grouped, [this.members, perMember, inSize]));
      return tf.concat([h.mean, h.logvar as tf.Tensor3D, tf.sigmoid(h.logit)], 2).dataSync() as Float32Array;
    });
    return this.decodeMembers(states, raw, slotOf, width, rng);
  }

  /** Row b goes to slot member·perMember + rank-within-member; unused slots are zero padding. */
  private groupRows(memberIndex: Int32Array): { slotOf: Int32Array; perMember: number } {
    const counts = new Int32Array(this.members);
    for (let b = 0; b < memberIndex.length; b++) {
      const m = memberIndex[b];
      if (!Number.isInteger(m) || m < 0 || m >= this.members) throw new Error(`memberIndex[${b}] is ${m}, outside [0, ${this.members})`);
      counts[m]++;
    }
    const perMember = Math.max(1, ...counts);
    const slotOf = new Int32Array(memberIndex.length);
    counts.fill(0);
    for (let b = 0; b < memberIndex.length; b++) {
      const m = memberIndex[b];
      slotOf[b] = m * perMember + counts[m]++;
    }
    return { slotOf, perMember };
  }

  private decodeMembers(
    states: ArrayLike<number>,
    raw: Float32Array,
    slotOf: Int32Array,
    width: number,
    rng?: { standardNormal(): number },
  ): WorldModelPrediction {
    const batch = slotOf.length;
    const d = this.stateSize + 1;
    const means = new Float32Array(batch * d);
    const out: WorldModelPrediction = {
      nextStates: new Float32Array(batch * this.stateSize),
      rewards: new Float32Array(batch),
      terminatedProb: new Float32Array(batch),
    };
    for (let b = 0; b < batch; b++) {
      const o = slotOf[b] * width;
      for (let k = 0; k < d; k++) {
        const noise = rng === undefined ? 0 : Math.exp(0.5 * raw[o + d + k]) * rng.standardNormal();
        means[b * d + k] = raw[o + k] + noise;
      }
      out.terminatedProb[b] = raw[o + 2 * d];
    }
    this.decodeMeans(states, means, batch, out);
    return out;
  }
}
