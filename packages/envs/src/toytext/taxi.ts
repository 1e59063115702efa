import type { Info } from '../env.js';
import { EnvError } from '../errors.js';
import type { EnvKwargs } from '../registry.js';
import { Kwargs } from '../kwargs.js';
import { colorize, normalizedCounts, TransitionTable, type OutcomeSink } from './tabular.js';
import { TabularEnv, type TabularCoreState } from './tabularEnv.js';

/** The Taxi-v3 map: `|` is a wall between two cells, `:` a passable border. */
export const TAXI_MAP: readonly string[] = [
  '+---------+',
  '|R: | : :G|',
  '| : | : : |',
  '| : : : : |',
  '| | : | : |',
  '|Y| : |B: |',
  '+---------+',
];

/** Pick-up / drop-off locations (row, col): Red, Green, Yellow, Blue. */
export const TAXI_LOCS: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [0, 4],
  [4, 0],
  [4, 3],
];

const ACTION_NAMES = ['South', 'North', 'East', 'West', 'Pickup', 'Dropoff'];
const MAX_ROW = 4;
const MAX_COL = 4;

/** `((taxi_row * 5 + taxi_col) * 5 + passenger_location) * 4 + destination`. */
export function taxiEncode(taxiRow: number, taxiCol: number, passLoc: number, destIdx: number): number {
  return ((taxiRow * 5 + taxiCol) * 5 + passLoc) * 4 + destIdx;
}

/** Inverse of `taxiEncode`: `[taxiRow, taxiCol, passLoc, destIdx]`. */
export function taxiDecode(state: number): [number, number, number, number] {
  if (!Number.isInteger(state) || state < 0 || state >= 500) throw new EnvError(`Taxi state must be an integer in [0, 500), got ${state}`);
  return [Math.floor(state / 100), Math.floor(state / 20) % 5, Math.floor(state / 4) % 5, state % 4];
}

const wallChar = (row: number, index: number): string => TAXI_MAP[1 + row][index];
const locIndex = (row: number, col: number): number => TAXI_LOCS.findIndex(([r, c]) => r === row && c === col);
const clamp = (v: number, hi: number): number => Math.max(0, Math.min(v, hi));

/** `_pickup` / `_dropoff`: the passenger index, reward and termination of actions 4 and 5. */
function passengerAction(row: number, col: number, pass: number, dest: number, action: number): [number, number, boolean] {
  const here = locIndex(row, col);
  if (action === 4) return pass < 4 && here === pass ? [4, -1, false] : [pass, -10, false];
  if (pass === 4 && here === dest) return [dest, 20, true];
  if (pass === 4 && here >= 0) return [here, -1, false];
  return [pass, -10, false];
}

/** `_build_dry_transitions`: one deterministic outcome. */
function dryTransitions(row: number, col: number, pass: number, dest: number, action: number, add: OutcomeSink): void {
  let [newRow, newCol, newPass, reward, terminated] = [row, col, pass, -1, false];
  if (action === 0) newRow = Math.min(row + 1, MAX_ROW);
  else if (action === 1) newRow = Math.max(row - 1, 0);
  if (action === 2 && wallChar(row, 2 * col + 2) === ':') newCol = Math.min(col + 1, MAX_COL);
  else if (action === 3 && wallChar(row, 2 * col) === ':') newCol = Math.max(col - 1, 0);
  else if (action >= 4) [newPass, reward, terminated] = passengerAction(row, col, pass, dest, action);
  add(1.0, taxiEncode(newRow, newCol, newPass, dest), reward, terminated);
}

// Intended move, then the two perpendicular slips, per direction (`moves` in Gymnasium's rainy builder).
const RAINY_MOVES: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [[1, 0], [0, -1], [0, 1]],
  [[-1, 0], [0, -1], [0, 1]],
  [[0, 1], [1, 0], [-1, 0]],
  [[0, -1], [1, 0], [-1, 0]],
];

/**
 * `_calc_new_position`: the slip target if the map character at `2 * new_col + offset` of the target row
 * is ':', else stay. For slips along a column (east/west actions) this tests a border of the target
 * cell rather than a crossing, so e.g. from column 0 an upward slip is always blocked. Kept as-is.
 */
function slipTarget(row: number, col: number, [dr, dc]: readonly [number, number], offset: number): [number, number] {
  const newRow = clamp(row + dr, MAX_ROW);
  const newCol = clamp(col + dc, MAX_COL);
  return wallChar(newRow, 2 * newCol + offset) === ':' ? [newRow, newCol] : [row, col];
}

/** `_build_rainy_transitions`: moves go as intended with p 0.8 and slip sideways with 0.1 each. */
function rainyTransitions(row: number, col: number, pass: number, dest: number, action: number, add: OutcomeSink): void {
  let [newRow, newCol, newPass, reward, terminated] = [row, col, pass, -1, false];
  let left: [number, number] = [row, col];
  let right: [number, number] = [row, col];
  const canMove =
    action === 0 || action === 1 || (action === 2 && wallChar(row, 2 * col + 2) === ':') || (action === 3 && wallChar(row, 2 * col) === ':');
  if (canMove) {
    const [intended, leftMove, rightMove] = RAINY_MOVES[action];
    newRow = clamp(row + intended[0], MAX_ROW);
    newCol = clamp(col + intended[1], MAX_COL);
    left = slipTarget(row, col, leftMove, 2);
    right = slipTarget(row, col, rightMove, 0);
  } else if (action >= 4) {
    [newPass, reward, terminated] = passengerAction(row, col, pass, dest, action);
  }
  if (action <= 3) {
    add(0.8, taxiEncode(newRow, newCol, newPass, dest), -1, terminated);
    add(0.1, taxiEncode(left[0], left[1], newPass, dest), -1, terminated);
    add(0.1, taxiEncode(right[0], right[1], newPass, dest), -1, terminated);
  } else {
    add(1.0, taxiEncode(newRow, newCol, newPass, dest), reward, terminated);
  }
}

/** Builds Taxi's transition table (500 states × 6 actions), dry or rainy. */
export function taxiTransitions(isRainy: boolean): TransitionTable {
  return new TransitionTable(500, 6, (s, a, add) => {
    const [row, col, pass, dest] = taxiDecode(s);
    (isRainy ? rainyTransitions : dryTransitions)(row, col, pass, dest, a, add);
  });
}

/** Uniform over the 300 states with the passenger waiting somewhere other than their destination. */
export function taxiInitialDistribution(): Float64Array {
  const counts = new Float64Array(500);
  for (let s = 0; s < 500; s++) {
    const [, , pass, dest] = taxiDecode(s);
    if (pass < 4 && pass !== dest) counts[s] += 1;
  }
  return normalizedCounts(counts);
}

/** `TaxiEnv.action_mask(state)`: 1 where the action changes the state (by the dry map's rules). */
export function taxiActionMask(state: number, out: Uint8Array = new Uint8Array(6)): Uint8Array {
  const [row, col, pass, dest] = taxiDecode(state);
  out.fill(0);
  if (row < 4) out[0] = 1;
  if (row > 0) out[1] = 1;
  if (col < 4 && wallChar(row, 2 * col + 2) === ':') out[2] = 1;
  if (col > 0 && wallChar(row, 2 * col) === ':') out[3] = 1;
  const here = locIndex(row, col);
  if (pass < 4 && here === pass) out[4] = 1;
  if (pass === 4 && (here === dest || here >= 0)) out[5] = 1;
  return out;
}

export interface TaxiCoreState extends TabularCoreState {
  /** Whether the fickle passenger may still change destination on the next move with them aboard. */
  fickleStep: boolean;
}

/**
 * Gymnasium 1.x `Taxi-v3`. Options: `isRainy` (moves slip sideways with p 0.1 each) and
 * `ficklePassenger` (with p 0.3, drawn at reset, the passenger picks a new destination on the first
 * move after boarding). Info: `prob` and `actionMask` (Gymnasium's `action_mask`, a Uint8Array(6)).
 */
export class TaxiEnv extends TabularEnv<TaxiCoreState> {
  readonly isRainy: boolean;
  readonly ficklePassenger: boolean;
  fickleStep = false;

  constructor(kwargs: EnvKwargs = {}) {
    const opts = new Kwargs('Taxi-v3', kwargs, ['isRainy', 'ficklePassenger', 'renderMode'], 'ansi');
    const isRainy = opts.boolean('isRainy', false);
    super(taxiTransitions(isRainy), taxiInitialDistribution());
    this.isRainy = isRainy;
    this.ficklePassenger = opts.boolean('ficklePassenger', false);
    // Gymnasium's __init__ already draws once from its (unseeded) generator when the passenger is fickle.
    this.fickleStep = this.ficklePassenger && this.rng.random() < 0.3;
  }

  encode(taxiRow: number, taxiCol: number, passLoc: number, destIdx: number): number {
    return taxiEncode(taxiRow, taxiCol, passLoc, destIdx);
  }

  decode(state: number): [number, number, number, number] {
    return taxiDecode(state);
  }

  actionMask(state: number = this.s): Uint8Array {
    return taxiActionMask(state);
  }

  override resetCore(): void {
    super.resetCore();
    this.fickleStep = this.ficklePassenger && this.rng.random() < 0.3;
  }

  override stepCore(actions: ArrayLike<number>, offset: number): void {
    const before = this.s;
    super.stepCore(actions, offset);
    if (this.ficklePassenger && this.fickleStep) this.maybeChangeDestination(before);
  }

  /** The passenger was aboard and the taxi moved: pick a new destination uniformly among the other three. */
  private maybeChangeDestination(before: number): void {
    const passBefore = Math.floor(before / 4) % 5;
    const moved = Math.floor(before / 20) !== Math.floor(this.s / 20);
    if (passBefore !== 4 || !moved) return;
    this.fickleStep = false;
    const destBefore = before % 4;
    const k = this.rng.integers(0, 3); // np_random.choice([d for d in range(4) if d != dest])
    const dest = k < destBefore ? k : k + 1;
    this.s = this.s - (this.s % 4) + dest;
  }

  protected override resetInfo(): Info {
    return { prob: 1.0, actionMask: taxiActionMask(this.s) };
  }

  protected override stepInfo(): Info {
    return { prob: this.lastProb, actionMask: taxiActionMask(this.s) };
  }

  protected getCoreState(): TaxiCoreState {
    return { ...this.baseCoreState(), fickleStep: this.fickleStep };
  }

  protected setCoreState(state: TaxiCoreState): void {
    this.restoreBaseCoreState(state);
    this.fickleStep = state.fickleStep === true;
  }

  /** Gymnasium's ansi rendering: taxi yellow (green with the passenger aboard), passenger blue, destination magenta. */
  override render(): string {
    const out = TAXI_MAP.map((line) => [...line]);
    const [row, col, pass, dest] = taxiDecode(this.s);
    const taxiCell = (): [number, number] => [1 + row, 2 * col + 1];
    if (pass < 4) {
      const [tr, tc] = taxiCell();
      out[tr][tc] = colorize(out[tr][tc], 'yellow', false, true);
      const [pi, pj] = TAXI_LOCS[pass];
      out[1 + pi][2 * pj + 1] = colorize(out[1 + pi][2 * pj + 1], 'blue', true);
    } else {
      const [tr, tc] = taxiCell();
      out[tr][tc] = colorize(out[tr][tc] === ' ' ? '_' : out[tr][tc], 'green', false, true);
    }
    const [di, dj] = TAXI_LOCS[dest];
    out[1 + di][2 * dj + 1] = colorize(out[1 + di][2 * dj + 1], 'magenta');
    const text = out.map((r) => r.join('')).join('\n') + '\n';
    return text + (this.lastAction !== null ? `  (${ACTION_NAMES[this.lastAction]})\n` : '\n');
  }
}
