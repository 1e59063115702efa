import { describe, expect, it } from 'vitest';
import { make } from '@reverie/envs';
import { CEM, OneStepGreedy, PlanningError, RandomShooting, TrueEnvDynamics, type ValueFn, evaluatePlanner } from '@reverie/planning';
import { DiscreteWalk, LinearDynamics, RiskyBandit, TableDynamics } from './toyModels.js';

const at = (x: number[]) => Float32Array.from(x);

describe('OneStepGreedy', () => {
  it('ranks actions by reward, then by reward + γ(1 − done)V(s′) with a value hook', () => {
    const model = new TableDynamics({ rewards: [0, 1, 2] });
    expect(new OneStepGreedy(model, { seed: 0 }).act(at([0]))).toBe(2);
    // V(s′) = 5 − 5(s′ − 1)²: scores 0, 6, 2.
    const value: ValueFn = (s, batch, out) => {
      for (let i = 0; i < batch; i++) out[i] = 5 - 5 * (s[i] - 1) ** 2;
    };
    const greedy = new OneStepGreedy(model, { seed: 0, valueFn: value });
    expect(greedy.act(at([0]))).toBe(1);
    expect(Array.from(greedy.scores)).toEqual([0, 6, 2]);
    // γ = 0.5 halves the value: 0, 3.5, 2.
    expect(new OneStepGreedy(model, { seed: 0, valueFn: value, discount: 0.5 }).act(at([0]))).toBe(1);
    // A terminal next state has no value: 0, 1, 2.
    const terminal = new TableDynamics({ rewards: [0, 1, 2], done: [0, 1, 0] });
    expect(new OneStepGreedy(terminal, { seed: 0, valueFn: value }).act(at([0]))).toBe(2);
  });

  it('reads a soft continue head as (1 − p_done) and a hard one as a threshold at 0.5', () => {
    const model = new TableDynamics({ rewards: [1, 1], done: [0.3, 0.6] });
    const value: ValueFn = (_s, batch, out) => out.fill(10, 0, batch);
    const soft = new OneStepGreedy(model, { seed: 0, valueFn: value, termination: 'soft' });
    soft.act(at([0]));
    expect(soft.scores[0]).toBeCloseTo(1 + 0.7 * 10, 12);
    expect(soft.scores[1]).toBeCloseTo(1 + 0.4 * 10, 12);
    const hard = new OneStepGreedy(model, { seed: 0, valueFn: value });
    hard.act(at([0]));
    expect(Array.from(hard.scores)).toEqual([11, 1]);
  });

  it('breaks ties at random, reproducibly for a seed', () => {
    const model = new TableDynamics({ rewards: [1, 1, 1] });
    const picks = (seed: number) => {
      const g = new OneStepGreedy(model, { seed });
      return Array.from({ length: 300 }, () => g.act(at([0])));
    };
    const counts = [0, 0, 0];
    for (const a of picks(1)) counts[a]++;
    for (const c of counts) expect(c).toBeGreaterThan(70);
    expect(picks(1)).toEqual(picks(1));
  });

  it('averages PETS particles over ensemble members, and a disagreement penalty changes the choice', () => {
    // Member 0 says action 0 pays 10, member 1 says 0: mean 5 beats action 1's sure 4.
    const ens = new TableDynamics({ rewards: [0, 0], memberRewards: [[10, 4], [0, 4]], disagreement: [25, 0] });
    const g = new OneStepGreedy(ens, { seed: 0 });
    expect(g.act(at([0]))).toBe(0);
    expect(Array.from(g.scores)).toEqual([5, 4]);
    // Two particles per action, one per member, all in one step call.
    expect(ens.log.batches).toEqual([4]);
    const m = ens.log.members[0] ?? [];
    expect([m[0], m[1]].sort()).toEqual([0, 1]);
    expect([m[2], m[3]]).toEqual([m[0], m[1]]);
    expect(new OneStepGreedy(ens, { seed: 0, disagreementPenalty: 0.1 }).act(at([0]))).toBe(1);
  });
});

describe('state cost', () => {
  it('subtracts c(s\') from every predicted reward, so a costly next state loses', () => {
    const model = new TableDynamics({ rewards: [1, 1, 1] });
    // s' = [a]: costs 0, 0.5, 1.
    const cost = (s: Float32Array, batch: number, out: Float64Array) => {
      for (let i = 0; i < batch; i++) out[i] = s[i] / 2;
    };
    const greedy = new OneStepGreedy(model, { seed: 0, stateCost: cost });
    expect(greedy.act(at([0]))).toBe(0);
    expect(Array.from(greedy.scores)).toEqual([1, 0.5, 0]);
    expect(() => new CEM(model, { horizon: 2, population: 4, elites: 2, stateCost: 3 as unknown as typeof cost })).toThrow(/stateCost must be a function/);
  });
});

describe('particle assignment', () => {
  const threeMembers = () => new TableDynamics({ rewards: [0, 0], memberRewards: [[1, 0], [2, 0], [3, 0]] });

  it('with one particle per candidate, spreads the candidates evenly over the members (TS1-style)', () => {
    const ens = threeMembers();
    new RandomShooting(ens, { horizon: 2, candidates: 9, particles: 1, seed: 4 }).act(at([0]));
    // One row per candidate; both horizon steps keep each candidate on its member.
    expect(ens.log.batches).toEqual([9, 9]);
    const [first, second] = ens.log.members.map((m) => m ?? []);
    expect(second).toEqual(first);
    for (let r = 1; r < 9; r++) expect(first[r]).toBe((first[r - 1] + 1) % 3);
    expect([0, 1, 2].map((m) => first.filter((x) => x === m).length)).toEqual([3, 3, 3]);
  });

  it('with as many particles as members, compares every candidate under the same members', () => {
    const ens = threeMembers();
    new RandomShooting(ens, { horizon: 1, candidates: 4, particles: 3, seed: 5 }).act(at([0]));
    const m = ens.log.members[0] ?? [];
    expect([...m.slice(0, 3)].sort()).toEqual([0, 1, 2]);
    for (let c = 1; c < 4; c++) expect(m.slice(3 * c, 3 * c + 3)).toEqual(m.slice(0, 3));
  });
});

describe('CEM and random shooting on hand-written models', () => {
  it('CEM finds the known optimal action of a linear system (continuous)', () => {
    // B a = target − x with B = [[1, 0.5], [0, 1]], target (0.5, −0.4), x = 0: a = (0.7, −0.4).
    const model = new LinearDynamics([1, 0.5, 0, 1], [0.5, -0.4]);
    // Later steps can partly make up for a poor first action, so CEM's precision on it is ~0.1 at longer horizons
    // (measured over seeds 0..7: |error|₁ <= 0.07 at H 2, <= 0.15 at H 4); H 2 keeps the check tight.
    const cem = new CEM(model, { horizon: 2, population: 100, elites: 10, iterations: 10, seed: 3 });
    const a = cem.act(at([0, 0])) as Float32Array;
    expect(Math.abs(a[0] - 0.7) + Math.abs(a[1] + 0.4)).toBeLessThan(0.1);
    // One step call per horizon step, each over the whole population.
    expect(model.log.batches).toEqual(new Array(10 * 2).fill(100));
    expect(model.log.members.every((m) => m === undefined)).toBe(true);
  });

  it('CEM (categorical) and random shooting walk towards the goal (discrete)', () => {
    const right = new DiscreteWalk(3);
    expect(new CEM(right, { horizon: 4, population: 50, elites: 5, iterations: 4, seed: 1 }).act(at([0]))).toBe(2);
    expect(new RandomShooting(right, { horizon: 4, candidates: 200, seed: 1 }).act(at([0]))).toBe(2);
    const left = new DiscreteWalk(-3);
    expect(new CEM(left, { horizon: 4, population: 50, elites: 5, iterations: 4, seed: 1 }).act(at([0]))).toBe(0);
    expect(new OneStepGreedy(new DiscreteWalk(0), { seed: 1 }).act(at([0]))).toBe(1);
  });

  it('a disagreement penalty moves CEM away from where the ensemble disagrees', () => {
    const opts = { horizon: 3, population: 100, elites: 10, iterations: 6, particles: 5, seed: 2 };
    const greedy = new CEM(new RiskyBandit(), opts).act(at([0])) as Float32Array;
    expect(greedy[0]).toBeGreaterThan(0.9);
    const careful = new CEM(new RiskyBandit(), { ...opts, disagreementPenalty: 1 }).act(at([0])) as Float32Array;
    expect(careful[0]).toBeGreaterThan(0.4);
    expect(careful[0]).toBeLessThan(0.6);
  });

  it('is reproducible for a seed and warm-starts across decisions until reset()', () => {
    const run = () => {
      const cem = new CEM(new RiskyBandit(), { horizon: 3, population: 20, elites: 4, iterations: 2, seed: 9 });
      const first = (cem.act(at([0])) as Float32Array)[0];
      const second = (cem.act(at([0])) as Float32Array)[0];
      cem.reset();
      return [first, second, (cem.act(at([0])) as Float32Array)[0]];
    };
    const a = run();
    expect(a).toEqual(run());
    // The warm start carries the previous mean (near 1), so the second decision is at least as good.
    expect(a[1]).toBeGreaterThanOrEqual(a[0] - 1e-6);
  });
});

describe('bad input gets a clear error', () => {
  const walk = new DiscreteWalk(0);
  it('states: wrong length, NaN, not a Float32Array', () => {
    const cem = new CEM(walk, { horizon: 2, population: 4, elites: 2 });
    expect(() => cem.act(at([0, 1]))).toThrow(/state has length 2, the dynamics expect 1/);
    expect(() => cem.act(at([NaN]))).toThrow(/state\[0\] is NaN/);
    expect(() => cem.act([0] as unknown as Float32Array)).toThrow(/must be a Float32Array/);
    expect(() => new RandomShooting(walk, { horizon: 2, candidates: 3 }).act(at([Infinity]))).toThrow(PlanningError);
    expect(() => new OneStepGreedy(walk).act(new Float32Array(3))).toThrow(/length 3/);
  });

  it('configuration: horizon 0, elites > population, α = 1, particles 0, bad seed', () => {
    expect(() => new CEM(walk, { horizon: 0, population: 4, elites: 2 })).toThrow(/horizon must be a positive integer, got 0/);
    expect(() => new RandomShooting(walk, { horizon: 0, candidates: 4 })).toThrow(/horizon/);
    expect(() => new CEM(walk, { horizon: 2, population: 4, elites: 5 })).toThrow(/elites \(5\) must not exceed population \(4\)/);
    expect(() => new CEM(walk, { horizon: 2, population: 4, elites: 2, alpha: 1 })).toThrow(/alpha must be in \[0, 1\)/);
    expect(() => new CEM(walk, { horizon: 2, population: 4, elites: 2, particles: 0 })).toThrow(/particles/);
    expect(() => new CEM(walk, { horizon: 2, population: 4, elites: 2, discount: 0 })).toThrow(/discount/);
    expect(() => new RandomShooting(walk, { horizon: 2, candidates: 4, seed: -1 })).toThrow(/seed/);
    expect(() => new CEM(walk, { horizon: 2, population: 4, elites: 2, initStd: 1 })).toThrow(/continuous actions only/);
  });

  it('mismatched models: penalty without disagreement, greedy on continuous actions, env/state sizes', () => {
    expect(() => new CEM(walk, { horizon: 2, population: 4, elites: 2, disagreementPenalty: 1 })).toThrow(/provide disagreement/);
    expect(() => new OneStepGreedy(new RiskyBandit())).toThrow(/discrete action space/);
    expect(() => evaluatePlanner(make('CartPole-v1'), new OneStepGreedy(walk), { episodes: 1, seed: 0 })).toThrow(
      /observations have 4 numbers but the planner's dynamics expect states of 1/,
    );
    const cp = TrueEnvDynamics.make('CartPole-v1');
    expect(() => evaluatePlanner(make('CartPole-v1'), new OneStepGreedy(cp), { episodes: 0, seed: 0 })).toThrow(/episodes/);
  });
});
