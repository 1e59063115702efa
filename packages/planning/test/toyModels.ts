import type { ActionSpec, BatchDynamics, StepOutputs } from '@reverie/planning';

/** Records every step call's batch size and members, to check how planners drive a model. */
export interface CallLog {
  batches: number[];
  members: (number[] | undefined)[];
}

/**
 * x' = x + B a with reward −|x' − target|²: the best first action is known in closed form, B a = target − x.
 * 2-D state, 2-D action in [−1, 1]².
 */
export class LinearDynamics implements BatchDynamics {
  readonly stateSize = 2;
  readonly actionSpec: ActionSpec = { kind: 'continuous', low: Float32Array.of(-1, -1), high: Float32Array.of(1, 1) };
  readonly ensembleSize = 1;
  readonly providesDisagreement = false;
  readonly log: CallLog = { batches: [], members: [] };

  constructor(
    readonly B: [number, number, number, number],
    readonly target: [number, number],
  ) {}

  step(states: Float32Array, actions: Float32Array, batch: number, out: StepOutputs, members?: Int32Array): void {
    this.log.batches.push(batch);
    this.log.members.push(members ? Array.from(members.subarray(0, batch)) : undefined);
    const [b00, b01, b10, b11] = this.B;
    for (let r = 0; r < batch; r++) {
      const a0 = actions[2 * r];
      const a1 = actions[2 * r + 1];
      const x0 = states[2 * r] + b00 * a0 + b01 * a1;
      const x1 = states[2 * r + 1] + b10 * a0 + b11 * a1;
      out.nextStates[2 * r] = x0;
      out.nextStates[2 * r + 1] = x1;
      out.rewards[r] = -((x0 - this.target[0]) ** 2) - (x1 - this.target[1]) ** 2;
      out.done[r] = 0;
    }
  }
}

/** Discrete walk on a line: x' = x + (a − 1) for a in {0, 1, 2}; reward −|x' − goal|. */
export class DiscreteWalk implements BatchDynamics {
  readonly stateSize = 1;
  readonly actionSpec: ActionSpec = { kind: 'discrete', n: 3 };
  readonly ensembleSize = 1;
  readonly providesDisagreement = false;

  constructor(readonly goal: number) {}

  step(states: Float32Array, actions: Float32Array, batch: number, out: StepOutputs): void {
    for (let r = 0; r < batch; r++) {
      const x = states[r] + (actions[r] - 1);
      out.nextStates[r] = x;
      out.rewards[r] = -Math.abs(x - this.goal);
      out.done[r] = 0;
    }
  }
}

/**
 * One-step table model over n discrete actions: s' = [a], reward[a], done[a]. With `memberRewards`, member m
 * predicts memberRewards[m][a] (an ensemble whose members disagree); `disagreement[a]` is reported when asked.
 */
export class TableDynamics implements BatchDynamics {
  readonly stateSize = 1;
  readonly actionSpec: ActionSpec;
  readonly ensembleSize: number;
  readonly providesDisagreement: boolean;
  readonly log: CallLog = { batches: [], members: [] };

  constructor(
    private readonly table: { rewards: number[]; done?: number[]; memberRewards?: number[][]; disagreement?: number[] },
  ) {
    this.actionSpec = { kind: 'discrete', n: table.rewards.length };
    this.ensembleSize = table.memberRewards?.length ?? 1;
    this.providesDisagreement = table.disagreement !== undefined;
  }

  step(_states: Float32Array, actions: Float32Array, batch: number, out: StepOutputs, members?: Int32Array): void {
    this.log.batches.push(batch);
    this.log.members.push(members ? Array.from(members.subarray(0, batch)) : undefined);
    for (let r = 0; r < batch; r++) {
      const a = actions[r];
      out.nextStates[r] = a;
      const perMember = this.table.memberRewards;
      out.rewards[r] = perMember && members ? perMember[members[r]][a] : this.table.rewards[a];
      out.done[r] = this.table.done?.[a] ?? 0;
      if (out.disagreement && this.table.disagreement) out.disagreement[r] = this.table.disagreement[a];
    }
  }
}

/**
 * A 1-D continuous bandit repeated over the horizon: reward = a for a in [−1, 1], and members that disagree
 * more and more above a = 0.5 (disagreement 4 · max(0, a − 0.5)). Greedy on reward, the best action is 1;
 * with a disagreement penalty λ = 1 the best is 0.5.
 */
export class RiskyBandit implements BatchDynamics {
  readonly stateSize = 1;
  readonly actionSpec: ActionSpec = { kind: 'continuous', low: Float32Array.of(-1), high: Float32Array.of(1) };
  readonly ensembleSize = 5;
  readonly providesDisagreement = true;

  step(states: Float32Array, actions: Float32Array, batch: number, out: StepOutputs): void {
    for (let r = 0; r < batch; r++) {
      const a = actions[r];
      out.nextStates[r] = states[r];
      out.rewards[r] = a;
      out.done[r] = 0;
      if (out.disagreement) out.disagreement[r] = 4 * Math.max(0, a - 0.5);
    }
  }
}
