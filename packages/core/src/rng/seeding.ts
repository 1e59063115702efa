/**
 * `gymnasium.utils.seeding.np_random`: a NumPy-compatible generator plus the seed to log.
 */

import { NumpyGenerator } from './generator.js';
import { PCG64 } from './pcg64.js';
import { SeedSequence } from './seedSequence.js';

export interface NpRandomResult {
  rng: NumpyGenerator;
  /** `SeedSequence.entropy`: the seed itself, or fresh 128-bit entropy when none was given. */
  seed: bigint;
}

/**
 * Builds `Generator(PCG64(SeedSequence(seed)))` like Gymnasium. `seed` must be a non-negative
 * integer (number or bigint) or undefined/null for OS entropy; anything else throws.
 */
export function npRandom(seed?: number | bigint | null): NpRandomResult {
  if (seed !== undefined && seed !== null && !isNonNegativeInteger(seed)) {
    throw new Error(`Seed must be a non-negative integer, got ${describe(seed)}`);
  }
  const seedSeq = new SeedSequence(seed);
  return { rng: new NumpyGenerator(new PCG64(seedSeq)), seed: seedSeq.entropy };
}

function isNonNegativeInteger(v: unknown): boolean {
  if (typeof v === 'bigint') return v >= 0n;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** Names the rejected value so callers see what they passed (callers outside TypeScript too). */
function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `an array (${v.length} items)`;
  return typeof v === 'object' ? 'an object' : typeof v;
}
