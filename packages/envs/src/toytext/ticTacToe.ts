import { Env, type Info } from '../env.js';
import { EnvError } from '../errors.js';
import type { EnvKwargs } from '../registry.js';
import { Box, Discrete } from '../spaces.js';
import { Kwargs } from '../kwargs.js';

/** Board cell values. */
const EMPTY = 0;
const X = 1;
const O = 2;
const MARKS = ['.', 'X', 'O'];
/** The eight winning lines, three cells each. */
const LINES = Int8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 3, 6, 1, 4, 7, 2, 5, 8, 0, 4, 8, 2, 4, 6]);

/** Player indices used in `info.player` and `info.winner`: 0 is X (moves first), 1 is O. */
export type TicTacToePlayer = 0 | 1;
export type TicTacToeOpponent = 'none' | 'random';

export interface TicTacToeCoreState {
  /** 9 cells, row-major: 0 empty, 1 X, 2 O. */
  board: number[];
  toMove: TicTacToePlayer;
  /** 0 X won, 1 O won, -1 draw, null while the game goes on. */
  winner: TicTacToePlayer | -1 | null;
  lastAction: number | null;
  opponentAction: number | null;
}

/**
 * Tic-tac-toe for two players (or against a random opponent), for MuZero-style self-play.
 *
 * Observation: Box [3, 3, 3] float32 planes, always from the point of view of the player to move —
 * plane 0 marks that player's stones, plane 1 the opponent's, plane 2 is all ones when X is to move
 * and all zeros when O is. Action: Discrete(9), cell `row * 3 + col`.
 * Reward: from the perspective of the player who just moved, +1 for a win and 0 otherwise.
 * Playing an occupied cell throws an EnvError naming the cell (it is never silently penalised).
 * Info: `actionMask` (Uint8Array(9), 1 = empty cell), `player` to move, `winner` and `opponentAction`.
 *
 * Option `opponent: 'random'` makes the env answer each move of the agent (always X, moving first)
 * with a uniformly random legal O move drawn with `this.rng`; the reward is then the agent's: +1 win,
 * -1 when the opponent's reply wins, 0 otherwise.
 */
export class TicTacToeEnv extends Env<Float32Array, number, TicTacToeCoreState> {
  readonly observationSpace = new Box(0, 1, [3, 3, 3]);
  readonly actionSpace = new Discrete(9);
  readonly opponent: TicTacToeOpponent;
  readonly board = new Int8Array(9);
  toMove: TicTacToePlayer = 0;
  winner: TicTacToePlayer | -1 | null = null;
  lastAction: number | null = null;
  opponentAction: number | null = null;

  constructor(kwargs: EnvKwargs = {}) {
    super();
    const opts = new Kwargs('TicTacToe-v0', kwargs, ['opponent', 'renderMode'], 'ansi');
    this.opponent = opts.choice<TicTacToeOpponent>('opponent', 'none', ['none', 'random']);
  }

  resetCore(): void {
    this.board.fill(EMPTY);
    this.toMove = 0;
    this.winner = null;
    this.lastAction = null;
    this.opponentAction = null;
  }

  stepCore(actions: ArrayLike<number>, offset: number): void {
    const cell = actions[offset];
    if (this.board[cell] !== EMPTY) {
      throw new EnvError(
        `${this.id}: illegal move: cell ${cell} (row ${Math.floor(cell / 3)}, col ${cell % 3}) is already taken by ${MARKS[this.board[cell]]}`,
      );
    }
    this.opponentAction = null;
    this.lastAction = cell;
    this.play(cell);
    this.reward = this.winner === null || this.winner === -1 ? 0 : 1;
    this.terminated = this.winner !== null;
    if (this.opponent === 'random' && !this.terminated) this.randomReply();
  }

  /** Puts the mover's mark on `cell`, updates the winner and passes the turn. */
  private play(cell: number): void {
    const mark = this.toMove === 0 ? X : O;
    this.board[cell] = mark;
    if (this.completesLine(cell, mark)) this.winner = this.toMove;
    else if (this.board.indexOf(EMPTY) < 0) this.winner = -1;
    this.toMove = this.toMove === 0 ? 1 : 0;
  }

  private completesLine(cell: number, mark: number): boolean {
    const b = this.board;
    for (let i = 0; i < LINES.length; i += 3) {
      if (LINES[i] !== cell && LINES[i + 1] !== cell && LINES[i + 2] !== cell) continue;
      if (b[LINES[i]] === mark && b[LINES[i + 1]] === mark && b[LINES[i + 2]] === mark) return true;
    }
    return false;
  }

  /** The random opponent: the k-th empty cell, k = integers(0, number of empty cells). */
  private randomReply(): void {
    let empty = 0;
    for (let i = 0; i < 9; i++) if (this.board[i] === EMPTY) empty++;
    let k = this.rng.integers(0, empty);
    let cell = 0;
    for (; cell < 9; cell++) if (this.board[cell] === EMPTY && k-- === 0) break;
    this.opponentAction = cell;
    this.play(cell);
    if (this.winner !== null) {
      this.terminated = true;
      this.reward = this.winner === -1 ? 0 : -1;
    }
  }

  writeObservation(out: Float32Array, offset: number): void {
    const mine = this.toMove === 0 ? X : O;
    const theirs = this.toMove === 0 ? O : X;
    const xToMove = this.toMove === 0 ? 1 : 0;
    for (let i = 0; i < 9; i++) {
      out[offset + i] = this.board[i] === mine ? 1 : 0;
      out[offset + 9 + i] = this.board[i] === theirs ? 1 : 0;
      out[offset + 18 + i] = xToMove;
    }
  }

  protected observe(): Float32Array {
    const out = new Float32Array(27);
    this.writeObservation(out, 0);
    return out;
  }

  /** 1 for every empty cell (all zeros once the game is over). */
  actionMask(): Uint8Array {
    const mask = new Uint8Array(9);
    if (this.winner !== null) return mask;
    for (let i = 0; i < 9; i++) mask[i] = this.board[i] === EMPTY ? 1 : 0;
    return mask;
  }

  protected override resetInfo(): Info {
    return { actionMask: this.actionMask(), player: this.toMove, winner: this.winner, opponentAction: null };
  }

  protected override stepInfo(): Info {
    return { actionMask: this.actionMask(), player: this.toMove, winner: this.winner, opponentAction: this.opponentAction };
  }

  protected getCoreState(): TicTacToeCoreState {
    return {
      board: Array.from(this.board),
      toMove: this.toMove,
      winner: this.winner,
      lastAction: this.lastAction,
      opponentAction: this.opponentAction,
    };
  }

  protected setCoreState(state: TicTacToeCoreState): void {
    if (!Array.isArray(state.board) || state.board.length !== 9 || !state.board.every((v) => v === EMPTY || v === X || v === O)) {
      throw new EnvError(`${this.id}: state.board must be 9 cells of 0 (empty), 1 (X) or 2 (O)`);
    }
    if (state.toMove !== 0 && state.toMove !== 1) throw new EnvError(`${this.id}: state.toMove must be 0 (X) or 1 (O)`);
    this.board.set(state.board);
    this.toMove = state.toMove;
    this.winner = state.winner;
    this.lastAction = state.lastAction;
    this.opponentAction = state.opponentAction;
  }

  /** The board as text, X and O with '.' for empty cells, and whose turn it is or how the game ended. */
  override render(): string {
    const rows: string[] = [];
    for (let r = 0; r < 3; r++) rows.push(` ${[0, 1, 2].map((c) => MARKS[this.board[r * 3 + c]]).join(' | ')}`);
    const status = this.winner === null ? `${this.toMove === 0 ? 'X' : 'O'} to move` : this.winner === -1 ? 'draw' : `${this.winner === 0 ? 'X' : 'O'} wins`;
    return `${rows.join('\n---+---+---\n')}\n${status}\n`;
  }
}
