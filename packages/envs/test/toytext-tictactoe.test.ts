import { describe, expect, it } from 'vitest';
import { EnvError, make, type StepResult, TicTacToeEnv } from '@reverie/envs';

function play(env: TicTacToeEnv, moves: number[]): StepResult<Float32Array> {
  let last: StepResult<Float32Array> | undefined;
  for (const m of moves) last = env.step(m);
  if (last === undefined) throw new Error('no moves');
  return last;
}

const planes = (obs: Float32Array): number[][] => [0, 1, 2].map((p) => Array.from(obs.subarray(p * 9, p * 9 + 9)));

describe('TicTacToe-v0', () => {
  it('starts empty with X to move and everything legal', () => {
    const env = make('TicTacToe-v0') as TicTacToeEnv;
    const { observation, info } = env.reset();
    expect(env.observationSpace.shape).toEqual([3, 3, 3]);
    expect(planes(observation as Float32Array)).toEqual([Array(9).fill(0), Array(9).fill(0), Array(9).fill(1)]);
    expect(info).toEqual({ actionMask: new Uint8Array(9).fill(1), player: 0, winner: null, opponentAction: null });
  });

  it('observes from the player to move', () => {
    const env = new TicTacToeEnv();
    env.reset();
    const r = env.step(4); // X in the centre, O to move
    expect(planes(r.observation)).toEqual([Array(9).fill(0), [0, 0, 0, 0, 1, 0, 0, 0, 0], Array(9).fill(0)]);
    expect(r.info.player).toBe(1);
    expect(Array.from(r.info.actionMask as Uint8Array)).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 1]);
    const r2 = env.step(0); // O in the corner, X to move
    expect(planes(r2.observation)).toEqual([[0, 0, 0, 0, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0], Array(9).fill(1)]);
  });

  it('scores wins for the mover on rows, columns and diagonals', () => {
    const env = new TicTacToeEnv();
    for (const [moves, winner] of [
      [[0, 3, 1, 4, 2], 0], // X top row
      [[0, 1, 3, 4, 8, 7], 1], // O middle column
      [[0, 1, 4, 2, 8], 0], // X diagonal
      [[0, 2, 1, 4, 8, 6], 1], // O anti-diagonal
    ] as const) {
      env.reset();
      const r = play(env, [...moves]);
      expect([r.reward, r.terminated, r.truncated, r.info.winner]).toEqual([1, true, false, winner]);
      expect(Array.from(r.info.actionMask as Uint8Array)).toEqual(Array(9).fill(0));
      expect(() => env.step(moves.length)).toThrow(/after the episode ended/);
    }
  });

  it('ends in a draw with reward 0 and renders the board', () => {
    const env = new TicTacToeEnv();
    env.reset();
    const moves = [0, 1, 2, 4, 3, 5, 7, 6, 8];
    const results = moves.map((m) => env.step(m));
    expect(results.map((r) => r.reward)).toEqual(Array(9).fill(0));
    expect(results.map((r) => r.terminated)).toEqual([...Array(8).fill(false), true]);
    expect(results[8].info.winner).toBe(-1);
    expect(env.render()).toBe(' X | O | X\n---+---+---\n X | O | O\n---+---+---\n O | X | X\ndraw\n');
  });

  it('throws a clear error for an occupied cell and leaves the game as it was', () => {
    const env = new TicTacToeEnv();
    env.reset();
    env.step(4);
    const before = env.getState();
    expect(() => env.step(4)).toThrow(EnvError);
    expect(() => env.step(4)).toThrow('illegal move: cell 4 (row 1, col 1) is already taken by X');
    expect(env.getState()).toEqual(before);
    expect(() => env.step(9)).toThrow(/outside the action space Discrete\(9\)/);
  });

  it('plays a seeded random legal reply with opponent: random', () => {
    const run = (seed: number): number[] => {
      const env = make('TicTacToe-v0', { opponent: 'random' }) as TicTacToeEnv;
      env.reset({ seed });
      const replies: number[] = [];
      for (;;) {
        const r = env.step(env.actionMask().indexOf(1));
        if (r.info.opponentAction !== null) replies.push(r.info.opponentAction as number);
        expect(r.info.player).toBe(r.terminated ? (r.info.opponentAction === null ? 1 : 0) : 0);
        if (r.terminated) {
          const expected = r.info.winner === 0 ? 1 : r.info.winner === 1 ? -1 : 0;
          expect(r.reward).toBe(expected);
          return replies;
        }
        expect(r.reward).toBe(0);
      }
    };
    const a = run(3);
    expect(run(3)).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
    const outcomes = new Set(Array.from({ length: 30 }, (_, s) => run(s).join(',')));
    expect(outcomes.size).toBeGreaterThan(1);
  });
});
