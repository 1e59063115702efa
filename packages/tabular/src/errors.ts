/** Raised for invalid agent configuration or out-of-range states/actions; the message names the field. */
export class TabularError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TabularError';
  }
}

/** Ties among maximal Q-values: a uniformly random one (S&B's convention) or the lowest index. */
export type TieBreak = 'random' | 'first';

function fmt(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

export function requireCount(owner: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new TabularError(`${owner}: ${field} must be a positive integer, got ${fmt(v)}`);
  }
  return v;
}

export function requireNonNegativeInt(owner: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new TabularError(`${owner}: ${field} must be an integer >= 0, got ${fmt(v)}`);
  }
  return v;
}

/** Checks lo < v <= hi (openLow) or lo <= v <= hi; NaN fails both. */
export function requireInRange(owner: string, field: string, v: unknown, lo: number, hi: number, openLow = false): number {
  const ok = typeof v === 'number' && (openLow ? v > lo : v >= lo) && v <= hi;
  if (!ok) {
    const interval = `${openLow ? '(' : '['}${lo}, ${hi}]`;
    throw new TabularError(`${owner}: ${field} must be in ${interval}, got ${fmt(v)}`);
  }
  return v;
}

export function requireNonNegativeFinite(owner: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new TabularError(`${owner}: ${field} must be a finite number >= 0, got ${fmt(v)}`);
  }
  return v;
}

export function requireTieBreak(owner: string, v: unknown): TieBreak {
  if (v !== 'random' && v !== 'first') {
    throw new TabularError(`${owner}: tieBreak must be 'random' or 'first', got ${fmt(v)}`);
  }
  return v;
}

/** NumPy seeds are non-negative integers; undefined means fresh OS entropy. */
export function requireSeed(owner: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new TabularError(`${owner}: seed must be a non-negative safe integer, got ${fmt(v)}`);
  }
  return v;
}
