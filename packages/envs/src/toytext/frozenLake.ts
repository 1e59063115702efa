import { EnvError } from '../errors.js';
import type { EnvKwargs } from '../registry.js';
import { FROZEN_LAKE_MAPS, generateRandomMap } from './frozenLakeMaps.js';
import { Kwargs } from '../kwargs.js';
import { colorize, normalizedCounts, TransitionTable } from './tabular.js';
import { TabularEnv, type TabularCoreState } from './tabularEnv.js';

export const LEFT = 0;
export const DOWN = 1;
export const RIGHT = 2;
export const UP = 3;
const ACTION_NAMES = ['Left', 'Down', 'Right', 'Up'];

export interface FrozenLakeConfig {
  desc: readonly string[];
  isSlippery: boolean;
  /** Probability of moving as intended on slippery ice; each perpendicular slip gets `(1 - successRate) / 2`. */
  successRate: number;
  /** Rewards for landing on [G, H, F] (S counts as F). */
  rewardSchedule: readonly [number, number, number];
}

function checkDesc(env: string, desc: readonly string[]): void {
  for (let r = 0; r < desc.length; r++) {
    const bad = [...desc[r]].findIndex((ch) => !'SFHG'.includes(ch));
    if (bad >= 0) throw new EnvError(`${env}: map cell (${r}, ${bad}) is '${desc[r][bad]}'; cells must be S, F, H or G`);
  }
  if (!desc.some((row) => row.includes('S'))) throw new EnvError(`${env}: map has no start cell 'S'`);
}

/** Builds `P` exactly as Gymnasium 1.x: holes and goals are absorbing, slips go (a-1)%4, a, (a+1)%4. */
export function frozenLakeTransitions(config: FrozenLakeConfig): TransitionTable {
  const { desc, isSlippery, successRate, rewardSchedule } = config;
  const nrow = desc.length;
  const ncol = desc[0].length;
  const failRate = (1.0 - successRate) / 2.0;
  const move = (row: number, col: number, a: number): [number, number] => {
    if (a === LEFT) return [row, Math.max(col - 1, 0)];
    if (a === DOWN) return [Math.min(row + 1, nrow - 1), col];
    if (a === RIGHT) return [row, Math.min(col + 1, ncol - 1)];
    return [Math.max(row - 1, 0), col];
  };
  return new TransitionTable(nrow * ncol, 4, (s, a, add) => {
    const row = Math.floor(s / ncol);
    const col = s % ncol;
    const letter = desc[row][col];
    if (letter === 'G' || letter === 'H') {
      add(1.0, s, 0, true);
      return;
    }
    const outcome = (b: number, prob: number): void => {
      const [nr, nc] = move(row, col, b);
      const next = desc[nr][nc];
      add(prob, nr * ncol + nc, rewardSchedule[next === 'G' ? 0 : next === 'H' ? 1 : 2], next === 'G' || next === 'H');
    };
    if (!isSlippery) outcome(a, 1.0);
    else for (const b of [(a + 3) % 4, a, (a + 1) % 4]) outcome(b, b === a ? successRate : failRate);
  });
}

function parseConfig(kwargs: EnvKwargs): FrozenLakeConfig {
  const env = 'FrozenLake-v1';
  const opts = new Kwargs(env, kwargs, ['desc', 'mapName', 'isSlippery', 'successRate', 'rewardSchedule', 'renderMode'], 'ansi');
  let desc = opts.rows('desc');
  if (desc === undefined) {
    const mapName = opts.raw('mapName');
    if (mapName === null) desc = generateRandomMap();
    else {
      const name = mapName === undefined ? '4x4' : mapName;
      if (typeof name !== 'string' || !Object.hasOwn(FROZEN_LAKE_MAPS, name)) {
        throw new EnvError(`${env}: unknown mapName ${JSON.stringify(name)} (known: ${Object.keys(FROZEN_LAKE_MAPS).join(', ')}; null for a random 8x8 map)`);
      }
      desc = [...FROZEN_LAKE_MAPS[name]];
    }
  }
  checkDesc(env, desc);
  const schedule = opts.numbers('rewardSchedule', [1, 0, 0], 3, 'three finite numbers [goal, hole, frozen]');
  return {
    desc,
    isSlippery: opts.boolean('isSlippery', true),
    successRate: opts.number('successRate', 1.0 / 3.0, (v) => v >= 0 && v <= 1, 'a probability in [0, 1]'),
    rewardSchedule: [schedule[0], schedule[1], schedule[2]],
  };
}

/**
 * Gymnasium 1.x `FrozenLake-v1`. Options: `desc` (custom map rows of S/F/H/G), `mapName` ('4x4' default,
 * '8x8', or null for a random 8x8 map), `isSlippery` (default true), `successRate` (default 1/3) and
 * `rewardSchedule` ([goal, hole, frozen], default [1, 0, 0]). Info: `prob`.
 */
export class FrozenLakeEnv extends TabularEnv {
  readonly desc: readonly string[];
  readonly nrow: number;
  readonly ncol: number;
  readonly config: FrozenLakeConfig;

  constructor(kwargs: EnvKwargs = {}) {
    const config = parseConfig(kwargs);
    const starts = [...config.desc.join('')].map((ch) => (ch === 'S' ? 1 : 0));
    super(frozenLakeTransitions(config), normalizedCounts(starts));
    this.config = config;
    this.desc = config.desc;
    this.nrow = config.desc.length;
    this.ncol = config.desc[0].length;
  }

  protected getCoreState(): TabularCoreState {
    return this.baseCoreState();
  }

  protected setCoreState(state: TabularCoreState): void {
    this.restoreBaseCoreState(state);
  }

  /** Gymnasium's ansi rendering: the last action, then the map with the agent's cell highlighted red. */
  override render(): string {
    const row = Math.floor(this.s / this.ncol);
    const col = this.s % this.ncol;
    const lines = this.desc.map((line, r) => (r === row ? line.slice(0, col) + colorize(line[col], 'red', false, true) + line.slice(col + 1) : line));
    const header = this.lastAction !== null ? `  (${ACTION_NAMES[this.lastAction]})\n` : '\n';
    return header + lines.join('\n') + '\n';
  }
}
