/** Raised for invalid planner configuration, bad states or misbehaving dynamics; the message names the field. */
export class PlanningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanningError';
  }
}

function fmt(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

export function requireCount(owner: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new PlanningError(`${owner}: ${field} must be a positive integer, got ${fmt(v)}`);
  }
  return v;
}

/** Checks lo < v <= hi (openLow) or lo <= v <= hi (or v < hi with openHigh); NaN fails every form. */
export function requireInRange(
  owner: string,
  field: string,
  v: unknown,
  lo: number,
  hi: number,
  { openLow = false, openHigh = false } = {},
): number {
  const ok = typeof v === 'number' && (openLow ? v > lo : v >= lo) && (openHigh ? v < hi : v <= hi);
  if (!ok) {
    const interval = `${openLow ? '(' : '['}${lo}, ${hi}${openHigh ? ')' : ']'}`;
    throw new PlanningError(`${owner}: ${field} must be in ${interval}, got ${fmt(v)}`);
  }
  return v;
}

export function requireNonNegativeFinite(owner: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new PlanningError(`${owner}: ${field} must be a finite number >= 0, got ${fmt(v)}`);
  }
  return v;
}

/** NumPy seeds are non-negative integers; undefined means fresh OS entropy. */
export function requireSeed(owner: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new PlanningError(`${owner}: seed must be a non-negative safe integer, got ${fmt(v)}`);
  }
  return v;
}

export function requireChoice<T extends string>(owner: string, field: string, v: unknown, choices: readonly T[]): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw new PlanningError(`${owner}: ${field} must be one of ${choices.map(fmt).join(', ')}, got ${fmt(v)}`);
  }
  return v as T;
}

/** A planner's input state: the dynamics' length and finite everywhere (a NaN would poison every rollout). */
export function checkState(owner: string, state: unknown, stateSize: number): Float32Array {
  if (!(state instanceof Float32Array)) {
    throw new PlanningError(`${owner}: state must be a Float32Array of length ${stateSize}, got ${describe(state)}`);
  }
  if (state.length !== stateSize) {
    throw new PlanningError(`${owner}: state has length ${state.length}, the dynamics expect ${stateSize}`);
  }
  for (let i = 0; i < stateSize; i++) {
    if (!Number.isFinite(state[i])) throw new PlanningError(`${owner}: state[${i}] is ${state[i]}; states must be finite`);
  }
  return state;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
