import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { medianSteps, parseTrainOptions, type TrainReport, trainCommand } from '../src/commands/train.js';
import { bufferIO } from '../src/io.js';
import { runCli } from '../src/program.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('reverie train --algo dyna-dqn', () => {
  it('runs both variants, writes report.json and the plot, and prints the table', async () => {
    const out = await mkdtemp(join(tmpdir(), 'reverie-train-'));
    dirs.push(out);
    const io = bufferIO();
    const argv = ['train', '--algo', 'dyna-dqn', '--steps', '1200', '--eval-every', '600', '--eval-episodes', '2', '--seeds', '1', '--backend', 'wasm', '--out', out, '--workers', '1'];
    expect(await runCli(argv, io), io.err.join('')).toBe(0);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as TrainReport;
    expect(report.algo).toBe('dyna-dqn');
    expect(report.targetReturn).toBe(475);
    // The backend is logged once at start and recorded with the figures.
    expect(report.backend).toMatch(/^wasm \((no )?simd, \d+ threads?\)$/);
    expect(io.err.join('')).toContain(`backend: ${report.backend}\n`);
    expect(report.variants.map((v) => v.variant)).toEqual(['none', 'ensemble']);
    for (const v of report.variants) {
      expect(v.seeds).toEqual([0]);
      expect(v.stepsToTarget).toHaveLength(1);
      expect(v.curves[0].envSteps).toEqual([600, 1200]);
      expect(v.curves[0].meanReturn.every((x) => x > 0 && x <= 500)).toBe(true);
    }
    const png = await readFile(join(out, 'eval_return.png'));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(await readFile(join(out, 'eval_return.svg'), 'utf8')).toContain('<svg');
    const text = io.out.join('');
    expect(text).toContain('DQN (no model)');
    expect(text).toContain('Neural Dyna (ensemble)');
  });

  it('rejects a bad option with a message that names it', async () => {
    const io = bufferIO();
    expect(await runCli(['train', '--algo', 'dyna-dqn', '--variants', 'none,magic'], io)).toBe(2);
    expect(io.err.join('')).toContain('--variants');
    for (const bad of [['--tau', '0'], ['--tau', '1.5'], ['--lr', '-1']]) {
      const e = bufferIO();
      expect(await runCli(['train', '--algo', 'dyna-dqn', ...bad], e)).toBe(2);
      expect(e.err.join('')).toContain(bad[0]);
    }
  });

  it("passes --lr and --tau to the DQN of both variants, defaulting to Adam 1e-3 and Polyak 0.01", () => {
    const cmd = trainCommand(bufferIO());
    cmd.parseOptions(['--lr', '3e-4', '--tau', '0.005']);
    const c = parseTrainOptions(cmd.opts());
    expect([c.lr, c.tau]).toEqual([3e-4, 0.005]);
    const d = trainCommand(bufferIO());
    d.parseOptions([]);
    const dc = parseTrainOptions(d.opts());
    expect([dc.lr, dc.tau]).toEqual([1e-3, 0.01]);
  });

  it('n-step rollout targets take one fixed rollout length', async () => {
    const parse = (argv: string[]) => {
      const cmd = trainCommand(bufferIO());
      cmd.parseOptions(argv);
      return parseTrainOptions(cmd.opts());
    };
    expect(parse(['--rollout-targets', 'n-step', '--rollout-length', '10'])).toMatchObject({ rolloutTargets: 'n-step', rolloutLength: 10, maxRolloutLength: 10 });
    expect(parse([])).toMatchObject({ rolloutTargets: 'n-step', rolloutLength: 20, maxRolloutLength: 20, terminationWeight: 100 });
    expect(parse(['--rollout-targets', 'one-step', '--rollout-length', '1', '--max-rollout-length', '5'])).toMatchObject({ rolloutTargets: 'one-step', rolloutLength: 1, maxRolloutLength: 5 });
    expect(() => parse(['--rollout-targets', 'n-step', '--rollout-length', '10', '--max-rollout-length', '12'])).toThrow(/--max-rollout-length: n-step/);
    const io = bufferIO();
    expect(await runCli(['train', '--rollout-targets', 'two-step'], io)).toBe(2);
    expect(io.err.join('')).toContain('--rollout-targets');
  });

  it('takes the median with "never" as infinitely many steps', () => {
    expect(medianSteps([3000, null, 5000])).toBe(5000);
    expect(medianSteps([3000, null, null])).toBeNull();
    expect(medianSteps([2000, 4000])).toBe(3000);
  });
});
