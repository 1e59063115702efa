import { describe, expect, it } from 'vitest';
import { type AutoresetMode, CartPoleEnv, type EnvKwargs, VectorEnv, makeVec } from '@reverie/envs';
import { cos, cosExact, sin, sinExact, sincos } from '../src/classic/libm/index.js';

/** CartPole without its batched kernel: VectorEnv falls back to the generic per-env loop. */
class GenericCartPole extends CartPoleEnv {
  override batchKernel(): undefined {
    return undefined;
  }
}

function genericVec(n: number, autoreset: AutoresetMode, kwargs: EnvKwargs, maxEpisodeSteps: number | null): VectorEnv {
  return new VectorEnv('CartPole-v1', n, autoreset, () => {
    const env = new GenericCartPole(kwargs);
    env.spec = { id: 'CartPole-v1', maxEpisodeSteps };
    return env;
  });
}

/** Every float compared with Object.is; names the first difference. */
function expectSameArray(actual: ArrayLike<number>, expected: ArrayLike<number>, where: string): void {
  expect(actual.length, where).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${where}: element ${i} is ${actual[i]}, generic loop gives ${expected[i]}`);
  }
}

/** A balancing controller on most sub-envs (episodes reach the time limit), a fixed pattern on every fourth. */
function policy(obs: Float32Array, t: number, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) {
    const [x, xDot, theta, thetaDot] = obs.subarray(4 * i, 4 * i + 4);
    out[i] = i % 4 === 0 ? Number((t * 7 + i) % 3 === 0) : Number(theta * 10 + thetaDot * 2 + x * 0.2 + xDot * 0.5 > 0);
  }
}

interface Run {
  kwargs?: EnvKwargs;
  maxEpisodeSteps?: number | null;
  steps?: number;
}

/** Steps a batched and a generic vector env side by side and checks that every output agrees bit for bit. */
function compare(autoreset: AutoresetMode, { kwargs = {}, maxEpisodeSteps = 500, steps = 1300 }: Run = {}): { ends: number; truncations: number } {
  const n = 8;
  const batched = makeVec('CartPole-v1', n, { autoreset, maxEpisodeSteps, ...kwargs });
  const generic = genericVec(n, autoreset, kwargs, maxEpisodeSteps);
  expect(batched.batched && !generic.batched).toBe(true);
  expectSameArray(batched.reset({ seed: 21 }).observations, generic.reset({ seed: 21 }).observations, 'reset');
  const actions = new Float64Array(n);
  let ends = 0;
  let truncations = 0;
  for (let t = 0; t < steps; t++) {
    policy(generic.observations, t, actions);
    const a = batched.step(actions);
    const b = generic.step(actions);
    const where = `${autoreset} step ${t}`;
    expectSameArray(a.observations, b.observations, `${where} observations`);
    expectSameArray(a.rewards, b.rewards, `${where} rewards`);
    expectSameArray(a.terminated, b.terminated, `${where} terminated`);
    expectSameArray(a.truncated, b.truncated, `${where} truncated`);
    expectSameArray(batched.hasFinal, generic.hasFinal, `${where} hasFinal`);
    expectSameArray(batched.finalObservations, generic.finalObservations, `${where} finalObservations`);
    for (let i = 0; i < n; i++) {
      ends += a.terminated[i] | a.truncated[i];
      truncations += a.truncated[i];
    }
  }
  for (let i = 0; i < n; i++) expect(batched.envs[i].getState(), `sub-env ${i} state`).toEqual(generic.envs[i].getState());
  return { ends, truncations };
}

describe('batched CartPole kernel', () => {
  for (const autoreset of ['next-step', 'same-step'] as const) {
    it(`matches the generic loop bit for bit across autoresets and truncation at 500 (${autoreset})`, () => {
      const { ends, truncations } = compare(autoreset);
      expect(truncations).toBeGreaterThanOrEqual(6);
      expect(ends - truncations).toBeGreaterThan(50);
    });
  }

  it('matches with the semi-implicit integrator, Sutton-Barto rewards, a short limit and no limit', () => {
    compare('next-step', { kwargs: { kinematicsIntegrator: 'semi-implicit euler' }, steps: 700 });
    compare('same-step', { kwargs: { suttonBartoReward: true }, maxEpisodeSteps: 37, steps: 300 });
    compare('next-step', { maxEpisodeSteps: null, steps: 300 });
  });

  it('keeps sub-envs usable: getState/setState, a changed integrator and reset all reach the batch', () => {
    const batched = makeVec('CartPole-v1', 4);
    const generic = genericVec(4, 'next-step', {}, 500);
    batched.reset({ seed: 3 });
    generic.reset({ seed: 3 });
    const actions = Float64Array.of(1, 0, 1, 1);
    for (let t = 0; t < 5; t++) {
      batched.step(actions);
      generic.step(actions);
    }
    const saved = batched.envs[2].getState();
    generic.envs[2].setState(saved);
    batched.envs[1].setState(generic.envs[1].getState());
    for (const vec of [batched, generic]) (vec.envs[3] as CartPoleEnv).kinematicsIntegrator = 'semi-implicit euler';
    for (let t = 0; t < 40; t++) {
      expectSameArray(batched.step(actions).observations, generic.step(actions).observations, `step ${t}`);
    }
    batched.envs[2].setState(saved);
    expect(batched.envs[2].getState()).toEqual(saved);
    expectSameArray(batched.reset({ seed: 9 }).observations, generic.reset({ seed: 9 }).observations, 'reset');
    for (let t = 0; t < 40; t++) {
      expectSameArray(batched.step(actions).rewards, generic.step(actions).rewards, `rewards after reset, step ${t}`);
    }
  });

  it('checks every action before moving any sub-env, naming the env and the value', () => {
    const vec = makeVec('CartPole-v1', 3);
    const before = vec.reset({ seed: 1 }).observations.slice();
    expect(() => vec.step(Float64Array.of(1, 0, 0.5))).toThrow(/CartPole-v1: action 0.5 for env 2 is outside the action space Discrete\(2\)/);
    expect(() => vec.step([1, -1, 0])).toThrow(/action -1 for env 1/);
    expect(() => vec.step(Float64Array.of(Number.NaN, 0, 0))).toThrow(/action NaN for env 0/);
    expect(Array.from(vec.observations)).toEqual(Array.from(before));
    expect(vec.envs.every((e) => e.elapsedSteps === 0)).toBe(true);
  });
});

describe('sincos', () => {
  it('gives glibc sin and cos of the same argument, bit for bit, on and off its fast paths', () => {
    let seed = 12345;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const args = [0, -0, 1e-300, -5e-9, 1.2e-8, 0.125999, 0.126, -0.126, 0.5, 0.85546875, -0.855, 2, 100, Number.NaN, Infinity];
    for (let i = 0; i < 200_000; i++) {
      const range = [0.13, 0.3, 0.9, 3][i % 4];
      args.push((next() * 2 - 1) * range, (Math.floor(next() * 109) + 1) / 128 + (next() - 0.5) * 1e-6);
    }
    const out = new Float64Array(2);
    for (const x of args) {
      sincos(x, out);
      const [s, c] = out;
      if (!Object.is(s, sinExact(x)) || !Object.is(c, cosExact(x)) || !Object.is(s, sin(x)) || !Object.is(c, cos(x))) {
        expect.fail(`sincos(${x}) = [${s}, ${c}], glibc gives [${sinExact(x)}, ${cosExact(x)}]`);
      }
    }
  });
});
