import { describe, expect, it } from 'vitest';
import { parseDynaQOptions } from '../src/commands/dyna-q.js';
import { parseMazeOptions } from '../src/commands/maze.js';
import { bufferIO } from '../src/io.js';
import { OptionError } from '../src/options.js';
import { EXIT_USAGE, runCli } from '../src/program.js';

/** What commander hands the action when the user gives no option: the defaults, as strings. */
const defaults = {
  env: 'Taxi-v3',
  episodes: '500',
  planning: '0,5,20,50',
  seeds: '10',
  alpha: '0.1',
  gamma: '0.95',
  epsilon: '0.1',
  window: '20',
  workers: 'auto',
};

function parseError(raw: Record<string, unknown>): string {
  try {
    parseDynaQOptions(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(OptionError);
    return (e as Error).message;
  }
  throw new Error('expected an OptionError');
}

describe('dyna-q option validation', () => {
  it('parses the defaults and fills per-env defaults', () => {
    const c = parseDynaQOptions(defaults);
    expect(c).toMatchObject({
      env: 'Taxi-v3',
      episodes: 500,
      planning: [0, 5, 20, 50],
      seeds: 10,
      alpha: 0.1,
      gamma: 0.95,
      epsilon: 0.1,
      window: 20,
      workers: 'auto',
      threshold: 0,
    });
    expect(c.out.replace(/\\/g, '/')).toBe('results/dyna-q-Taxi-v3');
    const fl = parseDynaQOptions({ ...defaults, env: 'FrozenLake-v1', threshold: '0.25', workers: '2', out: 'x' });
    expect(fl).toMatchObject({ threshold: 0.25, workers: 2, out: 'x' });
    expect(parseDynaQOptions({ ...defaults, env: 'FrozenLake-v1' })).toMatchObject({ threshold: 0.1 });
    expect(parseDynaQOptions({ ...defaults, env: 'DynaMaze-v0' }).out.replace(/\\/g, '/')).toBe('results/dyna-q-DynaMaze-v0');
  });

  it.each([
    ['planning', '5,x', /--planning/],
    ['planning', '', /--planning/],
    ['planning', '5,5', /--planning/],
    ['planning', '-1', /--planning/],
    ['seeds', '0', /--seeds must be a whole number >= 1 \(got "0"\)/],
    ['seeds', '2.5', /--seeds/],
    ['episodes', 'many', /--episodes/],
    ['env', 'Pong-v5', /--env must be one of Taxi-v3, FrozenLake-v1, FrozenLake8x8-v1, DynaMaze-v0 \(got "Pong-v5"\)/],
    ['alpha', '0', /--alpha must be a number in \(0, 1\]/],
    ['gamma', '1.5', /--gamma/],
    ['epsilon', 'abc', /--epsilon/],
    ['threshold', 'NaN', /--threshold/],
    ['window', '0', /--window/],
    ['workers', 'lots', /--workers/],
  ])('--%s %j is rejected with a message naming the option', (key, value, re) => {
    expect(parseError({ ...defaults, [key]: value })).toMatch(re);
  });

  it('reports every bad option at once', () => {
    const msg = parseError({ ...defaults, seeds: '0', planning: 'a' });
    expect(msg).toMatch(/--seeds/);
    expect(msg).toMatch(/--planning/);
  });

  it('maze validates the same way', () => {
    expect(parseMazeOptions({ ...defaults, planning: '0,5,50', seeds: '30', episodes: '50' })).toMatchObject({
      planning: [0, 5, 50],
      seeds: 30,
    });
    expect(() => parseMazeOptions({ ...defaults, seeds: '-3' })).toThrow(/--seeds/);
  });
});

describe('reverie command line', () => {
  it('exits non-zero and names the option for a bad value', async () => {
    const io = bufferIO();
    expect(await runCli(['dyna-q', '--planning', '5,x'], io)).toBe(EXIT_USAGE);
    expect(io.err.join('')).toMatch(/option --planning must be a comma-separated list/);
    expect(io.out.join('')).toBe('');

    const io2 = bufferIO();
    expect(await runCli(['dyna-q', '--seeds', '0'], io2)).toBe(EXIT_USAGE);
    expect(io2.err.join('')).toMatch(/--seeds/);

    const io3 = bufferIO();
    expect(await runCli(['dyna-q', '--env', 'Nope-v0'], io3)).toBe(EXIT_USAGE);
    expect(io3.err.join('')).toMatch(/--env must be one of/);

    const io4 = bufferIO();
    expect(await runCli(['maze', '--episodes', '0'], io4)).toBe(EXIT_USAGE);
    expect(io4.err.join('')).toMatch(/--episodes/);
  });

  it('rejects unknown options and commands', async () => {
    const io = bufferIO();
    expect(await runCli(['dyna-q', '--planing', '5'], io)).not.toBe(0);
    expect(io.err.join('')).toMatch(/unknown option '--planing'/);
    const io2 = bufferIO();
    expect(await runCli(['dynaq'], io2)).not.toBe(0);
    expect(io2.err.join('')).toMatch(/unknown command/);
  });

  it('--help explains every option with its default', async () => {
    const io = bufferIO();
    expect(await runCli(['dyna-q', '--help'], io)).toBe(0);
    const help = io.out.join('');
    for (const s of [
      '--env <id>',
      '(default: "Taxi-v3")',
      '--episodes <n>',
      '(default: "500")',
      '--planning <list>',
      '(default: "0,5,20,50")',
      '--seeds <n>',
      '(default: "10")',
      '--alpha <x>',
      '--gamma <x>',
      '(default: "0.95")',
      '--epsilon <x>',
      '--out <dir>',
      'results/dyna-q-<env>',
      '--threshold <x>',
      'Taxi-v3 0',
      '--window <n>',
      '(default: "20")',
      '--workers <n|auto>',
    ]) {
      expect(help).toContain(s);
    }
    const io2 = bufferIO();
    expect(await runCli(['maze', '--help'], io2)).toBe(0);
    expect(io2.out.join('')).toContain('(default: "0,5,50")');
    expect(io2.out.join('')).toContain('(default: "30")');
    const io3 = bufferIO();
    expect(await runCli(['--help'], io3)).toBe(0);
    expect(io3.out.join('')).toMatch(/dyna-q[\s\S]*maze/);
  });
});
