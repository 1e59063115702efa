import { npRandom } from '@reverie/core';
import { EnvError } from '../errors.js';

/** Gymnasium's preset FrozenLake maps. */
export const FROZEN_LAKE_MAPS: Readonly<Record<string, readonly string[]>> = {
  '4x4': ['SFFF', 'FHFH', 'FFFH', 'HFFG'],
  '8x8': ['SFFFFFFF', 'FFFFFFFF', 'FFFHFFFF', 'FFFFFHFF', 'FFFHFFFF', 'FHHFFFHF', 'FHFFHFHF', 'FFFHFFFG'],
};

/**
 * Gymnasium's `is_valid`: a depth-first search from (0, 0) over non-hole cells that succeeds when it
 * steps onto a 'G'. Only reachability matters, so any search order gives the same answer.
 */
export function isValidFrozenLakeMap(board: readonly string[], size: number): boolean {
  const discovered = new Uint8Array(size * size);
  const frontier: number[] = [0];
  const dirs: ReadonlyArray<readonly [number, number]> = [[1, 0], [0, 1], [-1, 0], [0, -1]];
  while (frontier.length > 0) {
    const cell = frontier.pop() as number;
    if (discovered[cell] === 1) continue;
    discovered[cell] = 1;
    const r = Math.floor(cell / size);
    const c = cell % size;
    for (const [dr, dc] of dirs) {
      const rn = r + dr;
      const cn = c + dc;
      if (rn < 0 || rn >= size || cn < 0 || cn >= size) continue;
      if (board[rn][cn] === 'G') return true;
      if (board[rn][cn] !== 'H') frontier.push(rn * size + cn);
    }
  }
  return false;
}

export interface RandomMapOptions {
  /** Give up after this many rejected boards (Gymnasium loops forever); default 100 000. */
  maxTries?: number;
}

/**
 * Gymnasium's `generate_random_map(size, p, seed)`: with its own generator `np_random(seed)`, draw the
 * board as `choice(["F", "H"], (size, size), p=[p, 1 - p])` (size² uniform draws in row-major order),
 * set S at the top-left and G at the bottom-right, and draw again until `is_valid` finds a path.
 * Without a seed the generator is seeded from fresh entropy, as in Gymnasium.
 */
export function generateRandomMap(size = 8, p = 0.8, seed?: number, options: RandomMapOptions = {}): string[] {
  if (!Number.isInteger(size) || size < 2) throw new EnvError(`generateRandomMap: size must be an integer >= 2, got ${size}`);
  if (!(p > 0)) throw new EnvError(`generateRandomMap: p (probability a tile is frozen) must be > 0, got ${p}`);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) {
    throw new EnvError(`generateRandomMap: seed must be a non-negative integer, got ${seed}`);
  }
  const maxTries = options.maxTries ?? 100_000;
  const rng = npRandom(seed).rng;
  const frozen = Math.min(1, p);
  const probs = [frozen, 1 - frozen];
  for (let attempt = 0; attempt < maxTries; attempt++) {
    const board: string[] = [];
    for (let r = 0; r < size; r++) {
      let row = '';
      for (let c = 0; c < size; c++) row += rng.choiceIndex(probs) === 0 ? 'F' : 'H';
      board.push(row);
    }
    board[0] = 'S' + board[0].slice(1);
    board[size - 1] = board[size - 1].slice(0, size - 1) + 'G';
    if (isValidFrozenLakeMap(board, size)) return board;
  }
  throw new EnvError(`generateRandomMap: no valid ${size}x${size} map with p=${p} after ${maxTries} tries`);
}
