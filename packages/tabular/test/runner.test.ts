import { describe, expect, it } from 'vitest';
import { QLearning, TabularError, runEpisodes, type TabularAgent } from '@reverie/tabular';
import { DYNA_MAZE, GridMaze } from './mazes.js';

/** Counts steps; truncates at `limit` and terminates when action 1 is taken from state 2. */
class Corridor {
  readonly observationSpace = { n: 4 };
  readonly actionSpace = { n: 2 };
  seeds: (number | undefined)[] = [];
  private s = 0;
  private t = 0;
  constructor(private readonly limit: number) {}
  reset(args: { seed?: number } = {}) {
    this.seeds.push(args.seed);
    this.s = 0;
    this.t = 0;
    return { observation: this.s };
  }
  step(action: number) {
    this.t++;
    const terminated = this.s === 2 && action === 1;
    this.s = Math.min(this.s + action, 3);
    return { observation: this.s, reward: action === 1 ? 1 : -1, terminated, truncated: !terminated && this.t >= this.limit };
  }
}

/** Records every observe call; acts by a fixed script. */
class Recorder implements TabularAgent {
  readonly numStates = 4;
  readonly numActions = 2;
  readonly q = new Float64Array(8);
  updates = 0;
  calls: [number, number, number, number, boolean][] = [];
  constructor(private readonly action: number) {}
  act(): number {
    return this.action;
  }
  greedy(): number {
    return this.action;
  }
  observe(s: number, a: number, r: number, s2: number, terminated: boolean): void {
    this.calls.push([s, a, r, s2, terminated]);
    this.updates++;
  }
  plan(): number {
    return 0;
  }
}

describe('runEpisodes', () => {
  it('seeds the env on the first reset only', () => {
    const env = new Corridor(3);
    runEpisodes(env, new Recorder(0), { episodes: 3, seed: 42 });
    expect(env.seeds).toEqual([42, undefined, undefined]);
  });

  it('ends on truncation without telling the agent the state is terminal', () => {
    const env = new Corridor(3);
    const agent = new Recorder(0);
    const res = runEpisodes(env, agent, { episodes: 2, seed: 0 });
    expect(res.steps).toEqual([3, 3]);
    expect(res.rewards).toEqual([-3, -3]);
    expect(agent.calls.every((c) => c[4] === false)).toBe(true);
    expect(res.updates).toBe(6);
  });

  it('a truncated last transition still bootstraps from the next state', () => {
    const env = new Corridor(1);
    const agent = new QLearning({ numStates: 4, numActions: 2, alpha: 1, gamma: 0.5, epsilon: 0, tieBreak: 'first', seed: 0 });
    agent.q[0 * 2 + 1] = -1; // make action 0 greedy in state 0
    agent.q[0 * 2 + 0] = 0;
    // Q(0,0) <- -1 + 0.5 * max Q(0, .) = -1 + 0.5 * 0 = -1; then Q(0,1) = -1 is max: Q(0,0) <- -1 + 0.5 * -1
    runEpisodes(env, agent, { episodes: 2 });
    expect(agent.q[0]).toBeCloseTo(-1.5, 12);
  });

  it('passes terminated through and reports each episode', () => {
    const env = new Corridor(100);
    const agent = new Recorder(1);
    const seen: [number, number, number][] = [];
    const res = runEpisodes(env, agent, { episodes: 2, onEpisode: (i, ret, t) => seen.push([i, ret, t]) });
    expect(agent.calls.slice(0, 3)).toEqual([
      [0, 1, 1, 1, false],
      [1, 1, 1, 2, false],
      [2, 1, 1, 3, true],
    ]);
    expect(seen).toEqual([
      [0, 3, 3],
      [1, 3, 3],
    ]);
    expect(res.wallSeconds).toBeGreaterThanOrEqual(0);
  });

  it('cuts episodes at maxStepsPerEpisode', () => {
    const res = runEpisodes(new Corridor(100), new Recorder(0), { episodes: 2, maxStepsPerEpisode: 5 });
    expect(res.steps).toEqual([5, 5]);
  });

  it('rejects mismatched spaces, bad observations and bad options', () => {
    const agent = new QLearning({ numStates: 10, numActions: 4, seed: 0 });
    expect(() => runEpisodes(new GridMaze(DYNA_MAZE), agent, { episodes: 1 })).toThrow(/observationSpace has n = 54/);
    const floaty = { reset: () => ({ observation: 0.5 }), step: () => ({ observation: 0, reward: 0, terminated: true, truncated: false }) };
    expect(() => runEpisodes(floaty, agent, { episodes: 1 })).toThrow(/observation must be an integer/);
    expect(() => runEpisodes(floaty, agent, { episodes: -1 })).toThrow(TabularError);
    expect(() => runEpisodes(floaty, agent, { episodes: 1, maxStepsPerEpisode: 0 })).toThrow(/maxStepsPerEpisode/);
  });
});
