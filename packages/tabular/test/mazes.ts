/**
 * Tiny deterministic MDPs with the Gymnasium reset/step shape, so the agents can be tested
 * without the env package: a grid maze (S&B figure 8.2 and the blocking maze of example 8.2).
 */
export interface Cell {
  row: number;
  col: number;
}

export interface MazeSpec {
  rows: number;
  cols: number;
  start: Cell;
  goal: Cell;
  walls: Cell[];
}

/** Actions: 0 up, 1 down, 2 left, 3 right. Reward 1 on reaching the goal (terminal), else 0. */
export class GridMaze {
  readonly observationSpace: { n: number };
  readonly actionSpace = { n: 4 };
  private blocked: Uint8Array;
  private pos = 0;
  resets = 0;
  seeds: (number | undefined)[] = [];

  constructor(readonly spec: MazeSpec) {
    this.observationSpace = { n: spec.rows * spec.cols };
    this.blocked = GridMaze.wallMask(spec);
  }

  private static wallMask(spec: MazeSpec): Uint8Array {
    const mask = new Uint8Array(spec.rows * spec.cols);
    for (const w of spec.walls) mask[w.row * spec.cols + w.col] = 1;
    return mask;
  }

  /** Replaces the walls mid-run (blocking/shortcut mazes); the agent stays where it is. */
  setWalls(walls: Cell[]): void {
    this.blocked = GridMaze.wallMask({ ...this.spec, walls });
  }

  state(c: Cell): number {
    return c.row * this.spec.cols + c.col;
  }

  reset(args: { seed?: number } = {}): { observation: number; info: Record<string, unknown> } {
    this.resets++;
    this.seeds.push(args.seed);
    this.pos = this.state(this.spec.start);
    return { observation: this.pos, info: {} };
  }

  step(action: number): { observation: number; reward: number; terminated: boolean; truncated: boolean; info: Record<string, unknown> } {
    const { rows, cols } = this.spec;
    let row = Math.floor(this.pos / cols);
    let col = this.pos % cols;
    if (action === 0) row = Math.max(row - 1, 0);
    else if (action === 1) row = Math.min(row + 1, rows - 1);
    else if (action === 2) col = Math.max(col - 1, 0);
    else if (action === 3) col = Math.min(col + 1, cols - 1);
    else throw new Error(`bad action ${action}`);
    const next = row * cols + col;
    if (this.blocked[next] === 0) this.pos = next;
    const terminated = this.pos === this.state(this.spec.goal);
    return { observation: this.pos, reward: terminated ? 1 : 0, terminated, truncated: false, info: {} };
  }
}

const range = (from: number, to: number, row: number): Cell[] =>
  Array.from({ length: to - from }, (_, i) => ({ row, col: from + i }));

/** S&B figure 8.2: 6 x 9, start (2, 0), goal (0, 8); the shortest path takes 14 steps. */
export const DYNA_MAZE: MazeSpec = {
  rows: 6,
  cols: 9,
  start: { row: 2, col: 0 },
  goal: { row: 0, col: 8 },
  walls: [
    { row: 1, col: 2 },
    { row: 2, col: 2 },
    { row: 3, col: 2 },
    { row: 4, col: 5 },
    { row: 0, col: 7 },
    { row: 1, col: 7 },
    { row: 2, col: 7 },
  ],
};
export const DYNA_MAZE_SHORTEST = 14;

/** S&B example 8.2: the gap in row 3 moves from the right end to the left end. */
export const BLOCKING_MAZE: MazeSpec = {
  rows: 6,
  cols: 9,
  start: { row: 5, col: 3 },
  goal: { row: 0, col: 8 },
  walls: range(0, 8, 3),
};
export const BLOCKING_MAZE_LATER: Cell[] = range(1, 9, 3);

/** Length of the path greedy w.r.t. q (lowest index on ties) from start to goal, or Infinity. */
export function greedyPathLength(maze: GridMaze, q: Float64Array, limit = 100): number {
  let s = maze.reset().observation;
  for (let t = 1; t <= limit; t++) {
    let best = 0;
    for (let a = 1; a < 4; a++) if (q[s * 4 + a] > q[s * 4 + best]) best = a;
    const r = maze.step(best);
    if (r.terminated) return t;
    s = r.observation;
  }
  return Infinity;
}
