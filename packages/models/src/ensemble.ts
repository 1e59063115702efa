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
import {
  type HeadOutputs,
  newPrediction,
  positiveInt,
  type PredictionBuffers,
  sigmoid,
  WorldModelBase,
  type WorldModelOptions,
  type WorldModelPrediction,
} from './base.js';
import { boundedLogvar, groupByMember, memberMoments } from './ensembleRows.js';

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
  /** 0..members-1, the block order of grouped inference. */
  private readonly allMembers: Int32Array;

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
    this.allMembers = Int32Array.from({ length: members }, (_, i) => i);
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
    return tf.add(tf.sum(tf.add(nll, tf.mul(term, this.terminationWeight))), bound) as tf.Scalar;
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
    const x = this.encodeScratch(states, actions, batch);
    const E = this.eliteIdx.length;
    const raw = this.net.inferShared(x, batch, this.eliteIdx);
    const s = this.stateSize;
    const d = s + 1;
    const width = 2 * d + 1;
    const out: EnsemblePrediction = {
      ...newPrediction(batch, s),
      stateAleatoricVar: new Float32Array(batch * s),
      stateEpistemicVar: new Float32Array(batch * s),
      rewardAleatoricVar: new Float32Array(batch),
      rewardEpistemicVar: new Float32Array(batch),
      disagreement: new Float32Array(batch),
    };
    const { min, max } = this.logvarBounds();
    const mu = this.scratch.f32('mu', d);
    const epi = this.scratch.f32('epi', d);
    const std = this.targetStats.std;
    for (let b = 0; b < batch; b++) {
      memberMoments(raw, E, batch, width, d, b, mu, epi);
      this.decodeRow(states, b, mu, 0, out);
      let p = 0;
      for (let e = 0; e < E; e++) p += sigmoid(raw[(e * batch + b) * width + 2 * d]);
      out.terminatedProb[b] = p / E;
      for (let k = 0; k < d; k++) {
        let alea = 0;
        for (let e = 0; e < E; e++) alea += Math.exp(boundedLogvar(raw[(e * batch + b) * width + d + k], min[k], max[k]));
        const scale = std[k] * std[k];
        if (k < s) {
          out.stateAleatoricVar[b * s + k] = (alea / E) * scale;
          out.stateEpistemicVar[b * s + k] = epi[k] * scale;
        } else {
          out.rewardAleatoricVar[b] = (alea / E) * scale;
          out.rewardEpistemicVar[b] = epi[k] * scale;
        }
      }
      out.disagreement[b] = stateMean(epi, s);
    }
    return out;
  }

  /**
   * PETS TS∞ propagation: row b follows member `memberIndex[b]` for the whole rollout. Rows are
   * grouped by member, so each member runs once on its own rows: the cost is one pass over the
   * batch, not one per member. With `rng`, the next state and reward are sampled from that member's
   * Gaussian (aleatoric noise); without, they are its mean.
   */
  predictMembers(
    states: ArrayLike<number>,
    actions: ArrayLike<number>,
    memberIndex: Int32Array,
    rng?: { standardNormal(): number },
  ): WorldModelPrediction {
    const out = newPrediction(memberIndex.length, this.stateSize);
    this.predictInto(states, actions, memberIndex.length, out, { members: memberIndex, rng });
    return out;
  }

  /**
   * The hot path behind planning, into caller buffers (nothing allocated once warmed up but the backend's
   * readback). Rows follow `members` (model member indices) when given, else the elite mean; `rng` samples
   * the member's Gaussian. With `disagreement`, every elite runs on every row and the buffer receives
   * `predict`'s disagreement; `members` must then name elites.
   */
  predictInto(states: ArrayLike<number>, actions: ArrayLike<number>, batch: number, out: PredictionBuffers, options: PredictIntoOptions = {}): void {
    if (options.members !== undefined && options.disagreement === undefined) {
      this.predictGrouped(states, actions, batch, options.members, out, options.rng);
    } else {
      this.predictShared(states, this.encodeScratch(states, actions, batch), batch, out, options);
    }
  }

  private predictGrouped(states: ArrayLike<number>, actions: ArrayLike<number>, batch: number, memberIndex: Int32Array, out: PredictionBuffers, rng?: Normal): void {
    if (memberIndex.length < batch) throw new Error(`memberIndex: expected ${batch} entries, got ${memberIndex.length}`);
    const M = this.members;
    const rows = { counts: this.scratch.i32('counts', M), slotOf: this.scratch.i32('slotOf', batch), next: this.scratch.i32('next', M) };
    groupByMember(memberIndex, batch, M, rows);
    // Rows are encoded straight into their member's block.
    const grouped = this.encodeScratch(states, actions, batch, rows.slotOf);
    const raw = this.net.inferBlocks(grouped, this.allMembers, rows.counts);
    const bounds = rng === undefined ? null : this.logvarBounds();
    for (let b = 0; b < batch; b++) this.decodeMemberRow(states, b, raw, rows.slotOf[b], out, bounds, rng);
  }

  private predictShared(states: ArrayLike<number>, x: Float32Array, batch: number, out: PredictionBuffers, options: PredictIntoOptions): void {
    const E = this.eliteIdx.length;
    const raw = this.net.inferShared(x, batch, this.eliteIdx);
    const d = this.stateSize + 1;
    const width = 2 * d + 1;
    const mu = this.scratch.f32('mu', d);
    const epi = this.scratch.f32('epi', d);
    const { members, rng, disagreement } = options;
    const position = members === undefined ? null : this.elitePositions();
    const bounds = rng === undefined || members === undefined ? null : this.logvarBounds();
    for (let b = 0; b < batch; b++) {
      memberMoments(raw, E, batch, width, d, b, mu, epi);
      if (disagreement !== undefined) disagreement[b] = stateMean(epi, this.stateSize);
      if (position !== null && members !== undefined) {
        const pos = position[members[b]] ?? -1;
        if (pos < 0) throw new Error(`members[${b}] is ${members[b]}, not one of the elites ${Array.from(this.eliteIdx).join(', ')}`);
        this.decodeMemberRow(states, b, raw, pos * batch + b, out, bounds, rng);
        continue;
      }
      this.decodeRow(states, b, mu, 0, out);
      let p = 0;
      for (let e = 0; e < E; e++) p += sigmoid(raw[(e * batch + b) * width + 2 * d]);
      out.terminatedProb[b] = p / E;
    }
  }

  /** Row b of out from raw row `slot`, plus Gaussian noise from the bounded log-variance when `rng` is given. */
  private decodeMemberRow(
    states: ArrayLike<number>,
    b: number,
    raw: Float32Array,
    slot: number,
    out: PredictionBuffers,
    bounds: { min: Float32Array; max: Float32Array } | null,
    rng?: Normal,
  ): void {
    const d = this.stateSize + 1;
    const o = slot * (2 * d + 1);
    out.terminatedProb[b] = sigmoid(raw[o + 2 * d]);
    if (rng === undefined || bounds === null) {
      this.decodeRow(states, b, raw, o, out);
      return;
    }
    const noisy = this.scratch.f32('noisy', d);
    for (let k = 0; k < d; k++) noisy[k] = raw[o + k] + Math.exp(0.5 * boundedLogvar(raw[o + d + k], bounds.min[k], bounds.max[k])) * rng.standardNormal();
    this.decodeRow(states, b, noisy, 0, out);
  }

  /** Member index → its position among the elites, or -1. */
  private elitePositions(): Int32Array {
    const pos = this.scratch.i32('elitePos', this.members).fill(-1);
    this.eliteIdx.forEach((m, i) => (pos[m] = i));
    return pos;
  }

  private logvarBounds(): { min: Float32Array; max: Float32Array } {
    return { min: this.minLogvar.dataSync() as Float32Array, max: this.maxLogvar.dataSync() as Float32Array };
  }
}

type Normal = { standardNormal(): number };

export interface PredictIntoOptions {
  /** Per row, the member that predicts it (PETS TS∞); omitted, the elite mean. */
  members?: Int32Array;
  /** Samples the member's Gaussian (only with `members`). */
  rng?: Normal;
  /** Receives the elites' disagreement per row (see `EnsemblePrediction.disagreement`). */
  disagreement?: Float32Array | Float64Array;
}

/** Mean of the first n entries: the epistemic variance averaged over the normalised state dimensions. */
function stateMean(values: Float32Array, n: number): number {
  let sum = 0;
  for (let k = 0; k < n; k++) sum += values[k];
  return sum / n;
}
