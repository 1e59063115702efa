/** Shared test fixtures: policy files with known greedy actions, temp folders, a captured logger. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { encodePolicyWeights } from '@reverie/policy';
import { createLogger, type Logger } from '@reverie/telemetry';

export const OBS = 4;

/**
 * A one-layer mlp-q over 4 features and 2 actions: Q = [-x0, x0] + [bias, 0], so the greedy
 * action is 1 when x0 > bias / 2, else 0 (ties go to the lowest index).
 */
export function signPolicy(bias = 0): Uint8Array {
  const weight = new Float32Array(OBS * 2);
  weight[0] = -1;
  weight[1] = 1;
  return encodePolicyWeights(
    { kind: 'mlp-q', obsShape: [OBS], numActions: 2, hidden: [], activation: 'relu' },
    { 'l0.weight': weight, 'l0.bias': new Float32Array([bias, 0]) },
  );
}

/** An mlp-q with two hidden layers of `width` and deterministic pseudo-random weights (≈ 4·width² bytes). */
export function widePolicy(width: number, seed = 1): Uint8Array {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const fill = (n: number): Float32Array => Float32Array.from({ length: n }, next);
  return encodePolicyWeights(
    { kind: 'mlp-q', obsShape: [OBS], numActions: 2, hidden: [width, width], activation: 'tanh' },
    {
      'l0.weight': fill(OBS * width),
      'l0.bias': fill(width),
      'l1.weight': fill(width * width),
      'l1.bias': fill(width),
      'l2.weight': fill(width * 2),
      'l2.bias': fill(2),
    },
  );
}

export function tempDir(prefix = 'reverie-ms-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A logger whose JSON lines are kept in `lines` for assertions. */
export function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger({ service: 'model-server-test', level: 'info', destination }), lines };
}
