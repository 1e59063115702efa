import { EnvError } from '../errors.js';
import type { EnvKwargs } from '../registry.js';

/** Reads constructor kwargs: unknown names and wrong types fail at construction, naming the env and field. */
export class ClassicKwargs {
  constructor(private readonly env: string, private readonly kwargs: EnvKwargs, allowed: readonly string[]) {
    for (const key of Object.keys(kwargs)) {
      if (kwargs[key] !== undefined && !allowed.includes(key)) {
        throw new EnvError(`${env}: unknown option '${key}' (expected one of: ${allowed.join(', ')})`);
      }
    }
  }

  private fail(key: string, expected: string): never {
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

  choice<T extends string>(key: string, fallback: T, values: readonly T[]): T {
    const v = this.kwargs[key];
    if (v === undefined) return fallback;
    const found = values.find((x) => x === v);
    if (found === undefined) this.fail(key, `one of ${values.map((x) => `'${x}'`).join(', ')}`);
    return found;
  }

  /** Accepts Gymnasium's `render_mode` values; every classic env here can return an RGB image. */
  renderMode(): void {
    const v = this.kwargs.renderMode;
    if (v !== undefined && v !== null && v !== 'rgb_array') {
      throw new EnvError(`${this.env}: renderMode must be 'rgb_array' (render() returns an RGB image), got ${describe(v)}`);
    }
  }
}

/** Gymnasium's `utils.verify_number_and_cast`: a reset option must be a number. */
export function verifyNumber(env: string, value: unknown): number {
  const v = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new EnvError(`${env}: an option (${describe(value)}) could not be converted to a float`);
  }
  return v;
}

/** Gymnasium's `utils.maybe_parse_reset_bounds`: `options.low`/`options.high` override the reset range. */
export function resetBounds(env: string, options: Record<string, unknown> | undefined, low: number, high: number): [number, number] {
  if (options === undefined || options === null) return [low, high];
  const lo = 'low' in options ? verifyNumber(env, options.low) : low;
  const hi = 'high' in options ? verifyNumber(env, options.high) : high;
  if (lo > hi) throw new EnvError(`${env}: lower bound (${lo}) must be lower than higher bound (${hi})`);
  return [lo, hi];
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  return String(v);
}
