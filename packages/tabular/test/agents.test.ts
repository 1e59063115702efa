import { describe, expect, it } from 'vitest';
import { DynaQ, DynaQPlus, PrioritizedSweeping, QLearning, TabularError, runEpisodes } from '@reverie/tabular';
import { DYNA_MAZE, GridMaze } from './mazes.js';

describe('Q-learning backup', () => {
  it('matches a hand-computed update, with terminal transitions bootstrapping 0', () => {
    const agent = new QLearning({ numStates: 3, numActions: 2, alpha: 0.5, gamma: 0.9, seed: 0 });
    agent.q[2 * 2 + 0] = 2;
    agent.q[2 * 2 + 1] = 4;
    agent.q[0 * 2 + 1] = 1;
    // Q(0,1) <- 1 + 0.5 * (1 + 0.9 * max(2, 4) - 1) = 1 + 0.5 * 3.6 = 2.8
    agent.observe(0, 1, 1, 2, false);
    expect(agent.q[1]).toBeCloseTo(2.8, 12);
    // Terminal: Q(1,0) <- 0 + 0.5 * (3 - 0) = 1.5, ignoring Q(2, .)
    agent.observe(1, 0, 3, 2, true);
    expect(agent.q[2]).toBeCloseTo(1.5, 12);
    // Untouched entries stay put.
    expect(Array.from(agent.q)).toEqual([0, 2.8, 1.5, 0, 2, 4]);
    expect(agent.updates).toBe(2);
  });

  it('QLearning is Dyna-Q with n = 0 on the same code path', () => {
    const run = (agent: DynaQ) => runEpisodes(new GridMaze(DYNA_MAZE), agent, { episodes: 5, seed: 0 });
    const ql = new QLearning({ numStates: 54, numActions: 4, seed: 3 });
    const dq = new DynaQ({ numStates: 54, numActions: 4, planningSteps: 0, seed: 3 });
    expect(run(ql).steps).toEqual(run(dq).steps);
    expect(Array.from(ql.q)).toEqual(Array.from(dq.q));
    expect(ql.planningSteps).toBe(0);
  });
});

describe('the model', () => {
  it('keeps the last observed (r, s2, terminal) of each visited pair, once', () => {
    const agent = new DynaQ({ numStates: 4, numActions: 2, planningSteps: 0, seed: 0 });
    expect(agent.model.get(0, 1)).toBeUndefined();
    agent.observe(0, 1, 1, 2, false);
    expect(agent.model.get(0, 1)).toEqual({ reward: 1, next: 2, terminal: false });
    agent.observe(0, 1, 5, 3, true);
    expect(agent.model.get(0, 1)).toEqual({ reward: 5, next: 3, terminal: true });
    agent.observe(2, 0, -1, 1, false);
    expect(agent.model.size).toBe(2);
    expect(Array.from(agent.model.keys.subarray(0, agent.model.size))).toEqual([1, 4]);
    expect(agent.model.has(1, 0)).toBe(false);
  });

  it('Dyna-Q+ models untried actions of a visited state as self-loops with reward 0', () => {
    const agent = new DynaQPlus({ numStates: 4, numActions: 3, planningSteps: 0, seed: 0 });
    agent.observe(1, 2, 7, 3, false);
    expect(agent.model.size).toBe(3);
    expect(agent.model.get(1, 2)).toEqual({ reward: 7, next: 3, terminal: false });
    expect(agent.model.get(1, 0)).toEqual({ reward: 0, next: 1, terminal: false });
    expect(agent.model.get(1, 1)).toEqual({ reward: 0, next: 1, terminal: false });
    expect(agent.model.has(3, 0)).toBe(false);
    // A later real try of a placeholder overwrites it without adding a key.
    agent.observe(1, 0, 2, 0, false);
    expect(agent.model.get(1, 0)).toEqual({ reward: 2, next: 0, terminal: false });
    expect(agent.model.size).toBe(3);
  });
});

describe('planning', () => {
  it('samples only visited pairs, uniformly (chi-square over 20 000 samples)', () => {
    const nS = 50;
    const nA = 4;
    const alpha = 1e-3;
    const agent = new DynaQ({ numStates: nS, numActions: nA, alpha, planningSteps: 0, seed: 11 });
    const visited: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = 2 * i + 5;
      const a = i % nA;
      visited.push(s * nA + a);
      agent.observe(s, a, 1, 0, true);
    }
    const samples = 20_000;
    expect(agent.plan(samples)).toBe(samples);
    expect(agent.updates).toBe(samples + visited.length);
    // With target 1 and terminal transitions, Q = 1 - (1 - alpha)^c after c updates: invert for c.
    let total = 0;
    let chi2 = 0;
    const expected = samples / visited.length;
    for (let k = 0; k < nS * nA; k++) {
      if (!visited.includes(k)) {
        expect(agent.q[k]).toBe(0);
        continue;
      }
      const c = Math.round(Math.log(1 - agent.q[k]) / Math.log(1 - alpha)) - 1; // minus the real update
      total += c;
      chi2 += (c - expected) ** 2 / expected;
    }
    expect(total).toBe(samples);
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001 under uniform sampling.
    expect(chi2).toBeLessThan(43.8);
  });

  it('does nothing before any experience, and rejects a bad n', () => {
    const agent = new DynaQ({ numStates: 2, numActions: 2, seed: 0 });
    expect(agent.plan(10)).toBe(0);
    expect(agent.updates).toBe(0);
    expect(() => agent.plan(-1)).toThrow(/plan\(n\)/);
    expect(() => agent.plan(1.5)).toThrow(TabularError);
  });
});

describe('seeding', () => {
  const train = (seed: number) => {
    const agent = new DynaQ({ numStates: 54, numActions: 4, planningSteps: 10, seed });
    const res = runEpisodes(new GridMaze(DYNA_MAZE), agent, { episodes: 15, seed: 0 });
    return { q: Array.from(agent.q), steps: res.steps };
  };

  it('the same seed gives identical Q tables; different seeds differ', () => {
    const a = train(7);
    const b = train(7);
    const c = train(8);
    expect(b.q).toEqual(a.q);
    expect(b.steps).toEqual(a.steps);
    expect(c.q).not.toEqual(a.q);
  });
});

describe('action selection', () => {
  const withRow = (tieBreak: 'first' | 'random') => {
    const agent = new QLearning({ numStates: 2, numActions: 4, epsilon: 0, tieBreak, seed: 5 });
    agent.q.set([1, 3, 2, 3], 4); // state 1: actions 1 and 3 tie for the max
    return agent;
  };

  it("'first' breaks ties by the lowest index", () => {
    const agent = withRow('first');
    for (let i = 0; i < 100; i++) {
      expect(agent.greedy(1)).toBe(1);
      expect(agent.act(1)).toBe(1);
      expect(agent.greedy(0)).toBe(0);
    }
  });

  it("'random' picks uniformly among the tied maxima only", () => {
    const agent = withRow('random');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[agent.greedy(1)]++;
    expect(counts[0]).toBe(0);
    expect(counts[2]).toBe(0);
    expect(counts[1]).toBeGreaterThan(1800);
    expect(counts[3]).toBeGreaterThan(1800);
  });

  it('epsilon = 1 acts uniformly, whatever Q says', () => {
    const agent = new QLearning({ numStates: 1, numActions: 3, epsilon: 1, seed: 2 });
    agent.q[2] = 10;
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[agent.act(0)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
});

describe('validation', () => {
  const ok = { numStates: 5, numActions: 2 };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['numStates 0', { ...ok, numStates: 0 }, /numStates/],
    ['numStates 2.5', { ...ok, numStates: 2.5 }, /numStates/],
    ['numActions NaN', { ...ok, numActions: NaN }, /numActions/],
    ['alpha 0', { ...ok, alpha: 0 }, /alpha must be in \(0, 1\]/],
    ['alpha 1.1', { ...ok, alpha: 1.1 }, /alpha/],
    ['gamma -0.1', { ...ok, gamma: -0.1 }, /gamma must be in \[0, 1\]/],
    ['epsilon 2', { ...ok, epsilon: 2 }, /epsilon/],
    ['epsilon NaN', { ...ok, epsilon: NaN }, /epsilon/],
    ['planningSteps -1', { ...ok, planningSteps: -1 }, /planningSteps/],
    ['planningSteps 1.5', { ...ok, planningSteps: 1.5 }, /planningSteps/],
    ['tieBreak', { ...ok, tieBreak: 'last' }, /tieBreak/],
    ['seed -1', { ...ok, seed: -1 }, /seed/],
  ];
  for (const [name, opts, re] of cases) {
    it(`DynaQ rejects ${name}`, () => {
      expect(() => new DynaQ(opts as unknown as ConstructorParameters<typeof DynaQ>[0])).toThrow(re);
    });
  }

  it('agent-specific fields are checked', () => {
    expect(() => new DynaQPlus({ ...ok, kappa: -1 })).toThrow(/kappa/);
    expect(() => new PrioritizedSweeping({ ...ok, theta: NaN })).toThrow(/theta/);
    expect(() => new PrioritizedSweeping({ ...ok, planningSteps: 0 })).toThrow(/planningSteps/);
    expect(() => new QLearning({ ...ok, alpha: 2 })).toThrow(/QLearning: alpha/);
  });

  it('observe and act name the out-of-range state or action', () => {
    const agent = new DynaQ({ numStates: 5, numActions: 2, seed: 0 });
    expect(() => agent.observe(-1, 0, 0, 1, false)).toThrow(/\bs must be a state in \[0, 5\), got -1/);
    expect(() => agent.observe(0, 2, 0, 1, false)).toThrow(/\ba must be an action in \[0, 2\), got 2/);
    expect(() => agent.observe(0, 0, 0, 5, false)).toThrow(/s2 must be a state/);
    expect(() => agent.observe(0, 0, NaN, 1, false)).toThrow(/reward/);
    expect(() => agent.act(1.5)).toThrow(/state must be a state/);
    expect(() => agent.greedy(9)).toThrow(TabularError);
    expect(agent.updates).toBe(0);
  });
});
