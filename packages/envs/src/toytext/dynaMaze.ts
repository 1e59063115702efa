import { EnvError } from '../errors.js';
import type { EnvKwargs } from '../registry.js';
import { Kwargs } from '../kwargs.js';
import { colorize, TransitionTable } from './tabular.js';
import { TabularEnv, type TabularCoreState } from './tabularEnv.js';

export const MAZE_UP = 0;
export const MAZE_DOWN = 1;
export const MAZE_LEFT = 2;
export const MAZE_RIGHT = 3;
const ACTION_NAMES = ['Up', 'Down', 'Left', 'Right'];
const MOVES: ReadonlyArray<readonly [number, number]> = [[-1, 0], [1, 0], [0, -1], [0, 1]];

/**
 * Maze layouts from Sutton & Barto (2nd ed.), one string per row: `S` start, `G` goal, `#` wall, `.` free.
 * `dyna` is fig. 8.2; the blocking (fig. 8.4) and shortcut (fig. 8.5) mazes come as their layouts before
 * and after the change. To switch layout mid-run, carry `getState()` from one env into another of the
 * same size with `setState()`.
 */
export const DYNA_MAZES: Readonly<Record<string, readonly string[]>> = {
  dyna: ['.......#G', '..#....#.', 'S.#....#.', '..#......', '.....#...', '.........'],
  'blocking-before': ['........G', '.........', '.........', '########.', '.........', '...S.....'],
  'blocking-after': ['........G', '.........', '.........', '.########', '.........', '...S.....'],
  'shortcut-before': ['........G', '.........', '.........', '.########', '.........', '...S.....'],
  'shortcut-after': ['........G', '.........', '.........', '.#######.', '.........', '...S.....'],
};

/** Parses and checks a layout: rectangular, only `S G # .`, exactly one start, at least one goal. */
export function parseMaze(env: string, rows: readonly string[]): { rows: string[]; start: number } {
  const width = rows[0].length;
  let start = -1;
  let goals = 0;
  for (let r = 0; r < rows.length; r++) {
    if (rows[r].length !== width) throw new EnvError(`${env}: maze row ${r} has ${rows[r].length} cells, row 0 has ${width}`);
    for (let c = 0; c < width; c++) {
      const ch = rows[r][c];
      if (!'SG#.'.includes(ch)) throw new EnvError(`${env}: maze cell (${r}, ${c}) is '${ch}'; cells must be S, G, # or .`);
      if (ch === 'G') goals++;
      if (ch !== 'S') continue;
      if (start >= 0) throw new EnvError(`${env}: maze has more than one start 'S'`);
      start = r * width + c;
    }
  }
  if (start < 0) throw new EnvError(`${env}: maze has no start 'S'`);
  if (goals === 0) throw new EnvError(`${env}: maze has no goal 'G'`);
  return { rows: [...rows], start };
}

/** Deterministic moves; walls and the border leave the agent in place; goals are absorbing. */
export function mazeTransitions(rows: readonly string[]): TransitionTable {
  const nrow = rows.length;
  const ncol = rows[0].length;
  return new TransitionTable(nrow * ncol, 4, (s, a, add) => {
    const r = Math.floor(s / ncol);
    const c = s % ncol;
    const here = rows[r][c];
    if (here === 'G') return add(1.0, s, 0, true);
    if (here === '#') return add(1.0, s, 0, false);
    const [dr, dc] = MOVES[a];
    const rn = r + dr;
    const cn = c + dc;
    const blocked = rn < 0 || rn >= nrow || cn < 0 || cn >= ncol || rows[rn][cn] === '#';
    const next = blocked ? s : rn * ncol + cn;
    const atGoal = !blocked && rows[rn][cn] === 'G';
    add(1.0, next, atGoal ? 1 : 0, atGoal);
  });
}

/**
 * Sutton & Barto's Dyna maze (fig. 8.2 by default): a 6×9 grid, observation `row * ncol + col`, actions
 * up/down/left/right, reward +1 on reaching the goal (which ends the episode) and 0 otherwise.
 * Deterministic: it never draws from the generator. Option `maze`: a preset name from `DYNA_MAZES` or a
 * layout (array of row strings, or one string with newline-separated rows).
 */
export class DynaMazeEnv extends TabularEnv {
  readonly maze: readonly string[];
  readonly nrow: number;
  readonly ncol: number;
  readonly start: number;

  constructor(kwargs: EnvKwargs = {}) {
    const env = 'DynaMaze-v0';
    const opts = new Kwargs(env, kwargs, ['maze', 'renderMode'], 'ansi');
    const raw = opts.raw('maze');
    let rows: readonly string[] | undefined;
    if (typeof raw === 'string' && Object.hasOwn(DYNA_MAZES, raw)) rows = DYNA_MAZES[raw];
    else rows = opts.rows('maze') ?? DYNA_MAZES.dyna;
    const parsed = parseMaze(env, rows);
    const initial = new Float64Array(parsed.rows.length * parsed.rows[0].length);
    initial[parsed.start] = 1;
    super(mazeTransitions(parsed.rows), initial, false);
    this.maze = parsed.rows;
    this.nrow = parsed.rows.length;
    this.ncol = parsed.rows[0].length;
    this.start = parsed.start;
  }

  protected getCoreState(): TabularCoreState {
    return this.baseCoreState();
  }

  protected setCoreState(state: TabularCoreState): void {
    const r = Math.floor(state.s / this.ncol);
    if (this.maze[r]?.[state.s % this.ncol] === '#') throw new EnvError(`${this.id}: state ${state.s} is inside a wall`);
    this.restoreBaseCoreState(state);
  }

  /** The maze with the agent's cell highlighted red, after the last action's name (FrozenLake's style). */
  override render(): string {
    const row = Math.floor(this.s / this.ncol);
    const col = this.s % this.ncol;
    const lines = this.maze.map((line, r) => (r === row ? line.slice(0, col) + colorize(line[col], 'red', false, true) + line.slice(col + 1) : line));
    const header = this.lastAction !== null ? `  (${ACTION_NAMES[this.lastAction]})\n` : '\n';
    return header + lines.join('\n') + '\n';
  }
}
