import { EnvError } from './errors.js';
import type { EnvKwargs } from './registry.js';

/**
 * Reads constructor kwargs with the checks Gymnasium's keyword arguments get from Python: an unknown
 * name or a value of the wrong type fails at construction with a message naming the env and the field.
 * `renderMode` is the one mode the env's `render()` produces.
 */
export class Kwargs {
  constructor(
    private readonly env: string,
    private readonly kwargs: EnvKwargs,
    allowed: readonly string[],
    renderMode: 'ansi' | 'rgb_array',
  ) {
    for (const key of Object.keys(kwargs)) {
      if (kwargs[key] !== undefined && !allowed.includes(key)) {
        throw new EnvError(`${env}: unknown option '${key}' (expected one of: ${allowed.join(', ')})`);
      }
    }
    const mode = kwargs.renderMode;
    if (mode !== undefined && mode !== null && mode !== renderMode) {
      const returns = renderMode === 'ansi' ? 'text' : 'an RGB image';
      throw new EnvError(`${env}: renderMode must be '${renderMode}' (render() returns ${returns}), got ${describe(mode)}`);
    }
  }

  has(key: string): boolean {
    return this.kwargs[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.kwargs[key];
  }

  fail(key: string, expected: string): never {
    throw new EnvError(`${this.env}: option '${key}' must be ${expected}, got ${describe(this.kwargs[key])}`);
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.kwargs[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(key, 'a boolean');
    return v;
  }

  number(key: string, fallback: number, check: (v: number) => boolean = Number.isFinite, expected = 'a finite number'): number {
    const v = this.kwargs[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !check(v)) this.fail(key, expected);
    return v;
  }

  /** A fixed-length array of finite numbers. */
  numbers(key: string, fallback: readonly number[], length: number, expected: string): number[] {
    const v = this.kwargs[key];
    if (v === undefined) return [...fallback];
    if (!Array.isArray(v) || v.length !== length) this.fail(key, expected);
    const out: number[] = [];
    for (const x of v as unknown[]) {
      if (typeof x !== 'number' || !Number.isFinite(x)) this.fail(key, expected);
      out.push(x);
    }
    return out;
  }

  choice<T extends string>(key: string, fallback: T, values: readonly T[]): T {
    const v = this.kwargs[key];
    if (v === undefined) return fallback;
    const found = values.find((x) => x === v);
    if (found === undefined) this.fail(key, `one of ${values.map((x) => `'${x}'`).join(', ')}`);
    return found;
  }

  /** A map given as an array of equal-length row strings, or one string with newline-separated rows. */
  rows(key: string): string[] | undefined {
    const v = this.kwargs[key];
    if (v === undefined || v === null) return undefined;
    let rows: unknown[];
    if (typeof v === 'string') rows = v.split('\n').map((r) => r.trim()).filter((r) => r.length > 0);
    else if (Array.isArray(v)) rows = v.map((r: unknown) => (Array.isArray(r) ? r.join('') : r));
    else this.fail(key, 'an array of row strings');
    if (rows.length === 0 || !rows.every((r): r is string => typeof r === 'string' && r.length > 0)) {
      this.fail(key, 'a non-empty array of non-empty row strings');
    }
    const width = rows[0].length;
    const bad = rows.findIndex((r) => r.length !== width);
    if (bad >= 0) throw new EnvError(`${this.env}: option '${key}': row ${bad} has ${rows[bad].length} cells, row 0 has ${width}`);
    return rows;
  }
}

export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  return String(v);
}
