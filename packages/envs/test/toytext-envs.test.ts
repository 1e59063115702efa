import { describe, expect, it } from 'vitest';
import {
  DynaMazeEnv,
  type Env,
  EnvError,
  FrozenLakeEnv,
  make,
  makeVec,
  type TabularEnv,
  TaxiEnv,
  taxiDecode,
  taxiEncode,
  TicTacToeEnv,
} from '@reverie/envs';

/** Puts a tabular env in state `s` (keeping its generator) through the public state API. */
function place(env: TabularEnv, s: number): void {
  env.setState({ ...env.getState(), core: { ...env.getState().core, s }, phase: 'running', elapsedSteps: 0 });
}

/** For deterministic envs, step() from every state must land where P says, with P's reward and flag. */
function checkTableAgainstStep(env: TabularEnv, skip: (s: number) => boolean = () => false): void {
  env.reset({ seed: 0 });
  for (let s = 0; s < env.table.nS; s++) {
    if (skip(s)) continue;
    for (let a = 0; a < env.table.nA; a++) {
      const [t] = env.P[s][a];
      expect(env.P[s][a]).toHaveLength(1);
      place(env, s);
      const r = env.step(a);
      expect([r.observation, r.reward, r.terminated, r.info.prob]).toEqual([t.nextState, t.reward, t.terminated, t.prob]);
    }
  }
}

function runUntilDone(env: Env, action: (i: number) => number): { steps: number; truncated: boolean } {
  for (let i = 0; ; i++) {
    const r = env.step(action(i));
    if (r.terminated || r.truncated) return { steps: i + 1, truncated: r.truncated };
  }
}

describe('tabular envs: P tables, encode/decode, limits, errors', () => {
  it('P agrees with step() for Taxi, FrozenLake (not slippery) and DynaMaze', () => {
    checkTableAgainstStep(new TaxiEnv());
    checkTableAgainstStep(new FrozenLakeEnv({ isSlippery: false, mapName: '8x8' }));
    const maze = new DynaMazeEnv();
    checkTableAgainstStep(maze, (s) => maze.maze.join('')[s] === '#'); // a wall is no place to be
  });

  it('Taxi encode/decode round-trip, reward rules and action mask', () => {
    for (let s = 0; s < 500; s++) expect(taxiEncode(...taxiDecode(s))).toBe(s);
    expect(taxiDecode(taxiEncode(3, 1, 2, 0))).toEqual([3, 1, 2, 0]);
    const env = new TaxiEnv();
    const at = (r: number, c: number, p: number, d: number) => env.P[taxiEncode(r, c, p, d)];
    expect(at(0, 0, 0, 1)[4][0]).toMatchObject({ nextState: taxiEncode(0, 0, 4, 1), reward: -1, terminated: false });
    expect(at(1, 1, 0, 1)[4][0]).toMatchObject({ nextState: taxiEncode(1, 1, 0, 1), reward: -10 });
    expect(at(0, 4, 4, 1)[5][0]).toMatchObject({ nextState: taxiEncode(0, 4, 1, 1), reward: 20, terminated: true });
    expect(at(4, 0, 4, 1)[5][0]).toMatchObject({ nextState: taxiEncode(4, 0, 2, 1), reward: -1, terminated: false });
    expect(at(0, 1, 0, 1)[2][0].nextState).toBe(taxiEncode(0, 1, 0, 1)); // wall east of (0, 1)
    expect(Array.from(env.actionMask(taxiEncode(0, 0, 0, 1)))).toEqual([1, 0, 1, 0, 1, 0]);
    expect(Array.from(env.actionMask(taxiEncode(4, 3, 4, 0)))).toEqual([0, 1, 1, 0, 0, 1]);
    expect(() => taxiDecode(500)).toThrow(EnvError);
  });

  it('registers Gymnasium time limits and truncates', () => {
    expect(make('Taxi-v3').spec.maxEpisodeSteps).toBe(200);
    expect(make('FrozenLake-v1').spec.maxEpisodeSteps).toBe(100);
    expect(make('FrozenLake8x8-v1').spec.maxEpisodeSteps).toBe(200);
    expect(make('DynaMaze-v0').spec.maxEpisodeSteps).toBeNull();
    const eight = make('FrozenLake-v1', { mapName: '8x8' }) as FrozenLakeEnv;
    expect([eight.nrow, eight.spec.maxEpisodeSteps, (make('FrozenLake8x8-v1') as FrozenLakeEnv).desc]).toEqual([8, 100, eight.desc]);
    const taxi = make('Taxi-v3');
    taxi.reset({ seed: 1 });
    expect(runUntilDone(taxi, () => 1)).toEqual({ steps: 200, truncated: true }); // north forever never terminates
    expect(() => taxi.step(0)).toThrow(/after the episode ended/);
    const lake = make('FrozenLake-v1', { isSlippery: false });
    lake.reset({ seed: 1 });
    expect(runUntilDone(lake, () => 3)).toEqual({ steps: 100, truncated: true });
    const maze = make('DynaMaze-v0', { maxEpisodeSteps: 7 });
    maze.reset();
    expect(runUntilDone(maze, () => 0)).toEqual({ steps: 7, truncated: true });
  });

  it('rejects bad actions, bad order and bad options with EnvError', () => {
    const taxi = make('Taxi-v3');
    expect(() => taxi.step(0)).toThrow(/before reset/);
    taxi.reset({ seed: 0 });
    for (const bad of [6, -1, 1.5, Number.NaN]) expect(() => taxi.step(bad)).toThrow(/outside the action space Discrete\(6\)/);
    const lake = make('FrozenLake-v1', { isSlippery: false, desc: ['SG'] });
    lake.reset();
    expect(lake.step(2)).toMatchObject({ observation: 1, reward: 1, terminated: true });
    expect(() => lake.step(0)).toThrow(EnvError);
    expect(() => make('FrozenLake-v1', { mapName: '5x5' })).toThrow(/unknown mapName "5x5"/);
    expect(() => make('FrozenLake-v1', { desc: ['SFX', 'FFG'] })).toThrow(/cell \(0, 2\) is 'X'/);
    expect(() => make('FrozenLake-v1', { desc: ['SFF', 'FG'] })).toThrow(/row 1 has 2 cells/);
    expect(() => make('FrozenLake-v1', { desc: ['FFF', 'FFG'] })).toThrow(/no start/);
    expect(() => make('FrozenLake-v1', { isSlippery: 'yes' })).toThrow(/'isSlippery' must be a boolean/);
    expect(() => make('FrozenLake-v1', { successRate: 2 })).toThrow(/successRate/);
    expect(() => make('FrozenLake-v1', { rewardSchedule: [1, 0] })).toThrow(/rewardSchedule/);
    expect(() => make('Taxi-v3', { is_rainy: true })).toThrow(/unknown option 'is_rainy'/);
    expect(() => make('Taxi-v3', { renderMode: 'rgb_array' })).toThrow(/renderMode/);
    expect(() => make('DynaMaze-v0', { maze: ['S.#', '..X'] })).toThrow(/cell \(1, 2\) is 'X'/);
    expect(() => make('DynaMaze-v0', { maze: 'S..\n...' })).toThrow(/no goal/);
    expect(() => make('DynaMaze-v0', { maze: ['S.S', '..G'] })).toThrow(/more than one start/);
    expect(() => make('TicTacToe-v0', { opponent: 'minimax' })).toThrow(/'opponent' must be one of 'none', 'random'/);
  });

  it('FrozenLake: mapName null draws a valid random 8x8 map; reset info is { prob: 1 }', () => {
    const env = make('FrozenLake-v1', { mapName: null }) as FrozenLakeEnv;
    expect([env.nrow, env.ncol, env.desc[0][0], env.desc[7][7]]).toEqual([8, 8, 'S', 'G']);
    expect(env.reset({ seed: 0 })).toEqual({ observation: 0, info: { prob: 1 } });
  });

  it('getState/setState round-trips env and generator (slippery, rainy, fickle)', () => {
    const envs: Env[] = [make('FrozenLake8x8-v1'), make('Taxi-v3', { isRainy: true, ficklePassenger: true }), make('TicTacToe-v0', { opponent: 'random' })];
    for (const env of envs) {
      env.reset({ seed: 11 });
      env.step(1);
      const snapshot = structuredClone(env.getState());
      const play = (): unknown[] => {
        const out: unknown[] = [];
        for (let i = 0; i < 3; i++) {
          const r = env.step(env.id === 'TicTacToe-v0' ? (env as TicTacToeEnv).actionMask().indexOf(1) : i % 4);
          const obs = r.observation;
          out.push([typeof obs === 'number' ? obs : Array.from(obs), r.reward, r.terminated, r.info]);
          if (r.terminated || r.truncated) break;
        }
        return out;
      };
      const first = play();
      env.setState(snapshot);
      expect(play(), env.id).toEqual(first);
    }
  });

  it('vector Taxi matches single envs seeded seed + i', () => {
    const vec = makeVec('Taxi-v3', 3);
    const { observations } = vec.reset({ seed: 5 });
    const singles = [0, 1, 2].map((i) => make('Taxi-v3'));
    expect(Array.from(observations)).toEqual(singles.map((e, i) => e.reset({ seed: 5 + i }).observation));
    for (let t = 0; t < 20; t++) {
      const actions = Float64Array.from([t % 6, (t + 2) % 4, 4]);
      const r = vec.step(actions);
      singles.forEach((e, i) => {
        const s = e.step(actions[i]);
        expect([r.observations[i], r.rewards[i]]).toEqual([s.observation, s.reward]);
      });
    }
  });
});

describe('DynaMaze-v0', () => {
  it('is the fig. 8.2 maze with a 14-step shortest path', () => {
    const env = new DynaMazeEnv();
    expect([env.nrow, env.ncol, env.start]).toEqual([6, 9, 18]);
    // Breadth-first search over P from the start to the goal.
    const dist = new Map<number, number>([[env.start, 0]]);
    const prev = new Map<number, [number, number]>();
    const queue = [env.start];
    let goal = -1;
    while (queue.length > 0 && goal < 0) {
      const s = queue.shift() as number;
      for (let a = 0; a < 4; a++) {
        const [t] = env.P[s][a];
        if (dist.has(t.nextState)) continue;
        dist.set(t.nextState, (dist.get(s) as number) + 1);
        prev.set(t.nextState, [s, a]);
        if (t.terminated) goal = t.nextState;
        queue.push(t.nextState);
      }
    }
    expect([goal, dist.get(goal)]).toEqual([8, 14]);
    const path: number[] = [];
    for (let s = goal; s !== env.start; ) {
      const [p, a] = prev.get(s) as [number, number];
      path.unshift(a);
      s = p;
    }
    expect(env.reset().observation).toBe(18);
    const rewards = path.map((a) => env.step(a));
    expect(rewards.map((r) => r.reward)).toEqual([...Array(13).fill(0), 1]);
    expect(rewards[13].terminated).toBe(true);
    expect(rewards.slice(0, 13).every((r) => !r.terminated)).toBe(true);
  });

  it('blocks walls and borders, never draws, and renders the maze', () => {
    const env = new DynaMazeEnv();
    env.reset({ seed: 3 });
    const before = env.rng.getState();
    expect(env.step(2).observation).toBe(18); // left border
    expect(env.step(3).observation).toBe(19);
    expect(env.step(3).observation).toBe(19); // wall at (2, 2)
    expect(env.rng.getState()).toEqual(before);
    expect(env.render()).toBe('  (Right)\n.......#G\n..#....#.\nS\x1b[41m.\x1b[0m#....#.\n..#......\n.....#...\n.........\n');
  });

  it('accepts custom layouts and the book presets', () => {
    const env = make('DynaMaze-v0', { maze: 'S..#...G' }) as DynaMazeEnv;
    expect([env.nrow, env.ncol]).toEqual([1, 8]);
    env.reset();
    expect([env.step(3).observation, env.step(3).observation, env.step(3).observation]).toEqual([1, 2, 2]);
    const blocking = make('DynaMaze-v0', { maze: 'blocking-before' }) as DynaMazeEnv;
    expect(blocking.start).toBe(5 * 9 + 3);
  });
});
