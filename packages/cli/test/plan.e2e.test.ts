import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlanOptions } from '../src/commands/plan.js';
import { parseWorldModelOptions } from '../src/commands/world-model.js';
import { make } from '@reverie/envs';
import { initBackend } from '@reverie/nn';
import { buildModel } from '../src/learned.js';
import { bufferIO } from '../src/io.js';
import { OptionError } from '../src/options.js';
import { EXIT_USAGE, runCli } from '../src/program.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'reverie-plan-'));
  dirs.push(d);
  return d;
}

describe('reverie plan', () => {
  it('plans with the true env and writes report.json with the headline figures', async () => {
    const out = await tempDir();
    const io = bufferIO();
    const argv = ['plan', '--model', 'true', '--planner', 'random-shooting', '--episodes', '2', '--horizon', '10', '--candidates', '20', '--seed', '4', '--out', out];
    expect(await runCli(argv, io)).toBe(0);
    const r = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Record<string, unknown> & { returns: number[]; settings: { termination: string } };
    expect(r.planner).toBe('random-shooting');
    expect(r.model).toBe('true');
    expect(r.episodes).toBe(2);
    expect(r.returns).toHaveLength(2);
    expect(r.meanReturn).toBe((r.returns[0] + r.returns[1]) / 2);
    expect(typeof r.stdReturn).toBe('number');
    expect(r.decisionsPerSecond).toBeGreaterThan(0);
    expect(r.settings.termination).toBe('hard');
    expect(io.out.join('')).toContain('random-shooting');
  });

  it('plans on Pendulum with a tiny learned ensemble (trained here) and the disagreement penalty', async () => {
    const out = await tempDir();
    const io = bufferIO();
    const argv = [
      'plan', '--env', 'Pendulum-v1', '--model', 'ensemble', '--members', '2', '--hidden', '8', '--transitions', '200', '--steps', '5',
      '--episodes', '1', '--horizon', '3', '--candidates', '8', '--elites', '2', '--iterations', '1', '--disagreement-penalty', '0.5', '--out', out,
    ];
    expect(await runCli(argv, io)).toBe(0);
    const r = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as {
      lengths: number[];
      settings: { particles: number; termination: string };
      modelSource: { trainedOn: number };
      backend: string;
    };
    expect(r.lengths).toEqual([200]);
    expect(r.backend).toMatch(/^(wasm \((no )?simd, \d+ threads?\)|cpu \(plain JavaScript\)|tensorflow \(.+\))$/);
    expect(io.err.join('')).toContain(`backend: ${r.backend}\n`);
    expect(r.settings.particles).toBe(2);
    expect(r.settings.termination).toBe('soft');
    expect(r.modelSource.trainedOn).toBe(200);
    // The model it trained is saved and loads back through --weights.
    const again = bufferIO();
    const argv2 = ['plan', '--env', 'Pendulum-v1', '--model', 'ensemble', '--weights', join(out, 'ensemble.safetensors'), '--episodes', '1', '--horizon', '2', '--candidates', '4', '--elites', '2', '--iterations', '1', '--out', out];
    expect(await runCli(argv2, again)).toBe(0);
    const wrong = bufferIO();
    expect(await runCli([...argv2.slice(0, 4), 'deterministic', ...argv2.slice(5)], wrong)).toBe(EXIT_USAGE);
    expect(wrong.err.join('')).toContain('option --model is deterministic but --weights');
    // A Pendulum model for CartPole: the state sizes differ.
    const other = bufferIO();
    expect(await runCli(['plan', '--weights', join(out, 'ensemble.safetensors'), '--model', 'ensemble', '--out', out], other)).toBe(EXIT_USAGE);
    expect(other.err.join('')).toContain('option --weights: ');
    expect(other.err.join('')).toContain('states of 3 numbers, but CartPole-v1 observations have 4');
  });
});

describe('plan and world-model option validation', () => {
  const planDefaults = {
    env: 'CartPole-v1', planner: 'cem', model: 'deterministic', transitions: '10000', steps: '1000', hidden: '200', members: '5', episodes: '10',
    horizon: '20', candidates: '100', elites: '10', iterations: '3', disagreementPenalty: '0', supportMargin: '3', seed: '0',
  };
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(OptionError);
      return (e as Error).message;
    }
    throw new Error('expected an OptionError');
  };

  it('names the option in every error', () => {
    expect(message(() => parsePlanOptions({ ...planDefaults, planner: 'mcts' }))).toContain('option --planner must be one of greedy, random-shooting, cem');
    expect(message(() => parsePlanOptions({ ...planDefaults, model: 'oracle' }))).toContain('option --model');
    expect(message(() => parsePlanOptions({ ...planDefaults, env: 'Taxi-v3' }))).toContain('option --env must be one of CartPole-v1, Pendulum-v1');
    expect(message(() => parsePlanOptions({ ...planDefaults, episodes: '0' }))).toContain('option --episodes must be a whole number >= 1 (got "0")');
    expect(message(() => parsePlanOptions({ ...planDefaults, disagreementPenalty: '-1' }))).toContain('option --disagreement-penalty');
    expect(message(() => parsePlanOptions({ ...planDefaults, elites: '200' }))).toContain('option --elites must be at most --candidates');
    expect(message(() => parsePlanOptions({ ...planDefaults, env: 'Pendulum-v1', planner: 'greedy' }))).toContain('option --planner greedy needs discrete actions');
    expect(message(() => parsePlanOptions({ ...planDefaults, model: 'true', weights: 'x.safetensors' }))).toContain('option --weights');
    expect(message(() => parsePlanOptions({ ...planDefaults, termination: 'maybe' }))).toContain('option --termination must be hard or soft');
    expect(message(() => parseWorldModelOptions({ env: 'CartPole-v1', transitions: '5', steps: '10', hidden: '8', members: '2', batchSize: '8', lr: '0.001', horizon: '5', rollouts: '5', seed: '0' }))).toContain(
      'option --transitions must be a whole number >= 10',
    );
    expect(message(() => parseWorldModelOptions({ env: 'CartPole-v1', transitions: '50', steps: '10', hidden: '8', members: '2', batchSize: '8', lr: '0', horizon: '5', rollouts: '5', seed: '0' }))).toContain(
      'option --lr must be a number in (0, 1]',
    );
  });

  it('keeps learned CartPole plans inside the training data by default, and only there', () => {
    expect(parsePlanOptions(planDefaults).supportPenalty).toBe(0.5);
    expect(parsePlanOptions({ ...planDefaults, supportPenalty: '2' }).supportPenalty).toBe(2);
    expect(parsePlanOptions({ ...planDefaults, model: 'true' }).supportPenalty).toBe(0);
    expect(parsePlanOptions({ ...planDefaults, env: 'Pendulum-v1' }).supportPenalty).toBe(0);
    expect(message(() => parsePlanOptions({ ...planDefaults, model: 'true', supportPenalty: '1' }))).toContain('option --support-penalty needs a learned model');
    expect(message(() => parsePlanOptions({ ...planDefaults, supportMargin: '-1' }))).toContain('option --support-margin');
    expect(parsePlanOptions(planDefaults).terminationWeight).toBeUndefined();
    expect(parsePlanOptions({ ...planDefaults, terminationWeight: '10' }).terminationWeight).toBe(10);
    expect(message(() => parsePlanOptions({ ...planDefaults, terminationWeight: '0' }))).toContain('option --termination-weight');
  });

  it('weights the ensemble\'s termination loss 100 by default, the deterministic model\'s 1', async () => {
    await initBackend({ backend: 'wasm' });
    const env = make('CartPole-v1');
    const t = { hidden: 4, steps: 1, batchSize: 8, lr: 1e-3, members: 2, seed: 0 };
    const models = [buildModel(env, 'ensemble', t), buildModel(env, 'deterministic', t), buildModel(env, 'ensemble', { ...t, terminationWeight: 3 })];
    expect(models.map((m) => m.terminationWeight)).toEqual([100, 1, 3]);
    for (const m of models) m.dispose();
  });

  it('exits with the usage status from the command line', async () => {
    const io = bufferIO();
    expect(await runCli(['plan', '--candidates', 'many'], io)).toBe(EXIT_USAGE);
    expect(io.err.join('')).toContain('option --candidates must be a whole number >= 1 (got "many")');
  });
});
