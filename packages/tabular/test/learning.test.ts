import { describe, expect, it } from 'vitest';
import { DynaQ, DynaQPlus, PrioritizedSweeping, runEpisodes, type TabularAgent } from '@reverie/tabular';
import {
  BLOCKING_MAZE,
  BLOCKING_MAZE_LATER,
  DYNA_MAZE,
  DYNA_MAZE_SHORTEST,
  GridMaze,
  greedyPathLength,
} from './mazes.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

describe('Dyna-Q on the Dyna maze (S&B figure 8.2)', () => {
  const stepsPerEpisode = (n: number, seed: number) =>
    runEpisodes(new GridMaze(DYNA_MAZE), new DynaQ({ numStates: 54, numActions: 4, planningSteps: n, seed }), {
      episodes: 10,
      seed: 0,
    }).steps;

  it('with n = 50 finds a near-shortest path within a few episodes; n = 0 is far slower', () => {
    for (const seed of [0, 1]) {
      const planned = stepsPerEpisode(50, seed);
      const direct = stepsPerEpisode(0, seed);
      // A uniformly random policy needs ~800 steps per episode here (and rarely under 50),
      // so a mean under 25 over episodes 3-10 means the path has been learned.
      expect(mean(planned.slice(2))).toBeLessThan(25);
      expect(mean(direct.slice(2))).toBeGreaterThan(3 * mean(planned.slice(2)));
      const firstShort = (steps: number[]) => steps.findIndex((t) => t <= 1.5 * DYNA_MAZE_SHORTEST);
      expect(firstShort(planned)).toBeGreaterThanOrEqual(0);
      expect(firstShort(planned)).toBeLessThanOrEqual(4);
    }
  });
});

describe('Dyna-Q+ on the blocking maze (S&B example 8.2)', () => {
  /** Reward collected before and after the short path is blocked at step 1000 of 3000. */
  function rewardAroundChange(agent: TabularAgent): [number, number] {
    const maze = new GridMaze(BLOCKING_MAZE);
    let s = maze.reset({ seed: 0 }).observation;
    let total = 0;
    let before = 0;
    for (let t = 0; t < 3000; t++) {
      if (t === 1000) {
        maze.setWalls(BLOCKING_MAZE_LATER);
        before = total;
      }
      const a = agent.act(s);
      const r = maze.step(a);
      agent.observe(s, a, r.reward, r.observation, r.terminated);
      total += r.reward;
      s = r.terminated ? maze.reset().observation : r.observation;
    }
    return [before, total - before];
  }

  it('finds the new path sooner than Dyna-Q', () => {
    let plain = 0;
    let plus = 0;
    for (let seed = 0; seed < 8; seed++) {
      const opts = { numStates: 54, numActions: 4, planningSteps: 10, alpha: 1, seed };
      const [qBefore, qAfter] = rewardAroundChange(new DynaQ(opts));
      const [pBefore, pAfter] = rewardAroundChange(new DynaQPlus({ ...opts, kappa: 1e-3 }));
      // Both learn the first layout.
      expect(qBefore).toBeGreaterThan(5);
      expect(pBefore).toBeGreaterThan(5);
      // Dyna-Q+ recovers in every run.
      expect(pAfter).toBeGreaterThan(20);
      plain += qAfter;
      plus += pAfter;
    }
    expect(plus).toBeGreaterThan(2 * plain);
  });
});

describe('prioritized sweeping', () => {
  /** Q-updates spent until the greedy path is a shortest one (Infinity if not within 300 episodes). */
  function updatesToShortest(agent: TabularAgent): number {
    const maze = new GridMaze(DYNA_MAZE);
    const probe = new GridMaze(DYNA_MAZE);
    for (let ep = 0; ep < 300; ep++) {
      runEpisodes(maze, agent, { episodes: 1 });
      if (greedyPathLength(probe, agent.q) === DYNA_MAZE_SHORTEST) return agent.updates;
    }
    return Infinity;
  }

  it('needs far fewer updates than Dyna-Q to reach the shortest path (S&B example 8.4)', () => {
    const ps: number[] = [];
    const dyna: number[] = [];
    for (let seed = 0; seed < 10; seed++) {
      const opts = { numStates: 54, numActions: 4, planningSteps: 5, alpha: 0.5, seed };
      ps.push(updatesToShortest(new PrioritizedSweeping(opts)));
      dyna.push(updatesToShortest(new DynaQ(opts)));
    }
    expect(ps.filter(Number.isFinite).length).toBeGreaterThanOrEqual(7);
    expect(3 * median(ps)).toBeLessThan(median(dyna));
  });

  it('sweeps a goal reward back along a chain within one real step', () => {
    // Chain 0 -> 1 -> ... -> 5 (terminal, reward 1) under action 1; action 0 stays put.
    const n = 6;
    const gamma = 0.9;
    const agent = new PrioritizedSweeping({ numStates: n, numActions: 2, alpha: 1, gamma, planningSteps: 100, seed: 0 });
    for (let s = 0; s < n - 2; s++) agent.observe(s, 1, 0, s + 1, false);
    expect(agent.updates).toBe(0); // nothing surprising yet: all TD errors are 0
    agent.observe(n - 2, 1, 1, n - 1, true);
    for (let s = 0; s < n - 1; s++) expect(agent.q[s * 2 + 1]).toBeCloseTo(gamma ** (n - 2 - s), 12);
    // One update per chain pair, each queued once.
    expect(agent.updates).toBe(n - 1);
    expect(agent.queue.size).toBe(0);
  });
});
