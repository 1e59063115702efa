import { z } from 'zod';

/** A bad command-line value; the message names the option (`--seeds`), what it needs and what it got. */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

const INT_RE = /^[+]?\d+$/;
const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A whole number ≥ `min`, from its command-line text. */
export function intOption(min: number) {
  return z
    .string()
    .trim()
    .refine((s) => INT_RE.test(s), { message: `must be a whole number >= ${min}` })
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n) && n >= min, { message: `must be a whole number >= ${min}` });
}

/** A finite number in [lo, hi] (or (lo, hi] with `openLow`), from its command-line text. */
export function numberOption(lo = -Infinity, hi = Infinity, openLow = false) {
  const range =
    lo === -Infinity && hi === Infinity ? 'a finite number' : `a number in ${openLow ? '(' : '['}${lo}, ${hi}]`;
  return z
    .string()
    .trim()
    .refine((s) => NUM_RE.test(s), { message: `must be ${range}` })
    .transform(Number)
    .refine((n) => Number.isFinite(n) && (openLow ? n > lo : n >= lo) && n <= hi, { message: `must be ${range}` });
}

/** A comma-separated list of distinct whole numbers ≥ `min`, e.g. `0,5,20,50`; kept in the given order. */
export function intListOption(min = 0) {
  const message = `must be a comma-separated list of distinct whole numbers >= ${min}, e.g. ${min > 0 ? '1,2,4,8' : '0,5,20,50'}`;
  return z
    .string()
    .trim()
    .refine((s) => s.split(',').every((p) => INT_RE.test(p.trim())), { message })
    .transform((s) => s.split(',').map((p) => Number(p.trim())))
    .refine((xs) => xs.length > 0 && xs.every((n) => Number.isSafeInteger(n) && n >= min) && new Set(xs).size === xs.length, {
      message,
    });
}

/** `auto` or a whole number ≥ 1. */
export function workersOption() {
  return z
    .string()
    .trim()
    .refine((s) => s === 'auto' || (INT_RE.test(s) && Number(s) >= 1 && Number(s) <= 256), {
      message: "must be 'auto' or a whole number from 1 to 256",
    })
    .transform((s): number | 'auto' => (s === 'auto' ? 'auto' : Number(s)));
}

/** Commander's camelCase option key → its flag as the user typed it (`planningSteps` → `--planning-steps`). */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Validates raw command-line values with a zod object schema. On failure, throws one OptionError
 * whose lines each name the offending option and quote the value given.
 */
export function parseOptions<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '';
    const given = key in raw ? ` (got ${JSON.stringify(raw[key])})` : '';
    return key ? `option ${flagOf(key)} ${issue.message}${given}` : issue.message;
  });
  throw new OptionError([...new Set(lines)].join('\n'));
}
