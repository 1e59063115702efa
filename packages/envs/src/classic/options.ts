import { EnvError } from '../errors.js';
import { describe } from '../kwargs.js';

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
