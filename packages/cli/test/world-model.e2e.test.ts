import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../src/io.js';
import { runCli } from '../src/program.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

interface Report {
  env: string;
  transitions: number;
  training: Record<string, { steps: number; seconds: number }>;
  oneStep: Record<string, { stateRmse: number[]; normalisedStateError: number; rewardRmse: number; terminationAccuracy: number }>;
  distribution: Record<string, { dimension: string; realMean: number; realStd: number; syntheticMean: number; syntheticStd: number; wasserstein1: number; ks: number }[]>;
  compounding: { horizons: number[]; rollouts: number; aliveRollouts: number[]; deterministic: number[]; ensemble: number[] };
  files: Record<string, string>;
  backend: string;
}

describe('reverie world-model, a tiny real run', () => {
  it('writes report.json with every figure, the plots and both models\' weights', async () => {
    const out = await mkdtemp(join(tmpdir(), 'reverie-wm-'));
    dirs.push(out);
    const io = bufferIO();
    const argv = ['world-model', '--transitions', '300', '--steps', '20', '--hidden', '16', '--members', '2', '--rollouts', '20', '--horizon', '8', '--seed', '3', '--backend', 'cpu', '--out', out];
    expect(await runCli(argv, io)).toBe(0);
    const r = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
    // --backend forces the backend; it is logged at start and recorded.
    expect(r.backend).toBe('cpu (plain JavaScript)');
    expect(io.err.join('')).toContain('backend: cpu (plain JavaScript)\n');
    expect(r.env).toBe('CartPole-v1');
    expect(r.transitions).toBe(300);
    for (const kind of ['deterministic', 'ensemble']) {
      expect(r.training[kind].steps).toBeGreaterThan(0);
      expect(r.oneStep[kind].stateRmse).toHaveLength(4);
      expect(Number.isFinite(r.oneStep[kind].normalisedStateError)).toBe(true);
      expect(r.oneStep[kind].terminationAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.distribution[kind].map((d) => d.dimension)).toEqual(['cart position', 'cart velocity', 'pole angle', 'pole angular velocity']);
      for (const d of r.distribution[kind]) {
        expect(d.wasserstein1).toBeGreaterThanOrEqual(0);
        expect(d.ks).toBeGreaterThanOrEqual(0);
        expect(d.ks).toBeLessThanOrEqual(1);
      }
      expect(r.compounding[kind as 'deterministic' | 'ensemble']).toHaveLength(8);
    }
    // The real side of the comparison is the same data for both models.
    expect(r.distribution.ensemble[0].realMean).toBe(r.distribution.deterministic[0].realMean);
    expect(r.compounding.horizons).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.compounding.aliveRollouts[0]).toBe(20);
    for (const base of ['compounding_error', 'histogram_cart_position', 'histogram_pole_angular_velocity']) {
      const png = await readFile(join(out, `${base}.png`));
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(await readFile(join(out, `${base}.svg`), 'utf8')).toContain('<svg');
    }
    expect((await stat(join(out, 'deterministic.safetensors'))).size).toBeGreaterThan(0);
    expect((await stat(join(out, 'ensemble.safetensors'))).size).toBeGreaterThan(0);
    const text = io.out.join('');
    expect(text).toContain('cart velocity');
    expect(text).toContain('one-step error');
  });
});
