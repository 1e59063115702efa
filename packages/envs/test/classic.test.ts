import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Box, CartPoleEnv, Discrete, type Env, type EnvKwargs, type RgbImage, make, makeVec } from '@reverie/envs';

// Reference data from fixtures/classic_reference.py, an independent NumPy 2 implementation of Gymnasium 1.x's
// classic-control envs (regenerate: python3 classic_reference.py > classic_reference.json).

interface ResetEvent {
  reset: true;
  obs: number[];
}
interface StepEvent {
  action: number | number[];
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
}
interface Case {
  id: string;
  kwargs: EnvKwargs;
  seed: number;
  options: Record<string, unknown> | null;
  events: (ResetEvent | StepEvent)[];
}
interface Reference {
  cases: Case[];
}

const ref = JSON.parse(readFileSync(new URL('./fixtures/classic_reference.json', import.meta.url), 'utf8')) as Reference;
const IDS = ['CartPole-v1', 'Pendulum-v1', 'MountainCar-v0', 'Acrobot-v1'];

/** Exact comparison of every float; reports the first difference with its position. */
function expectSame(actual: ArrayLike<number>, expected: number[], where: string): void {
  expect(actual.length, where).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`${where}: element ${i} is ${actual[i]}, Gymnasium gives ${expected[i]}`);
    }
  }
}

function toAction(a: number | number[]): number | Float32Array {
  return typeof a === 'number' ? a : Float32Array.from(a);
}

describe('classic control matches Gymnasium 1.x exactly', () => {
  for (const c of ref.cases) {
    const label = `${c.id} seed ${c.seed}${Object.keys(c.kwargs).length ? ' ' + JSON.stringify(c.kwargs) : ''}`;
    it(label, () => {
      const env = make(c.id, c.kwargs) as Env<Float32Array, number | Float32Array>;
      const options = c.options ?? undefined;
      let step = 0;
      for (const [k, e] of c.events.entries()) {
        if ('reset' in e) {
          const { observation } = k === 0 ? env.reset({ seed: c.seed, options }) : env.reset({ options });
          expectSame(observation, e.obs, `${label}: reset before step ${step}`);
          continue;
        }
        const r = env.step(toAction(e.action));
        const where = `${label}: step ${step++}`;
        expectSame(r.observation, e.obs, where);
        if (!Object.is(r.reward, e.reward)) expect.fail(`${where}: reward ${r.reward}, Gymnasium gives ${e.reward}`);
        expect(r.terminated, where).toBe(e.terminated);
        expect(r.truncated, where).toBe(e.truncated);
      }
    });
  }

  it('the fixtures reach termination and truncation for every env', () => {
    for (const id of IDS) {
      const steps = ref.cases.filter((c) => c.id === id).flatMap((c) => c.events.filter((e): e is StepEvent => 'action' in e));
      expect(steps.some((s) => s.truncated), id).toBe(true);
      if (id !== 'Pendulum-v1') expect(steps.some((s) => s.terminated), id).toBe(true);
    }
  });
});

describe('spaces', () => {
  const f = Math.fround;
  it('have Gymnasium exact float32 bounds', () => {
    const theta = (12 * 2 * Math.PI) / 360;
    const cases: [string, number[], number[]][] = [
      ['CartPole-v1', [f(4.8), Infinity, f(theta * 2), Infinity], [4]],
      ['Pendulum-v1', [1, 1, 8], [3]],
      ['MountainCar-v0', [0.6, 0.07].map(f), [2]],
      ['Acrobot-v1', [1, 1, 1, 1, f(4 * Math.PI), f(9 * Math.PI)], [6]],
    ];
    for (const [id, high, shape] of cases) {
      const space = make(id).observationSpace as Box;
      expect(space.shape, id).toEqual(shape);
      expect(Array.from(space.high), id).toEqual(high);
      const low = id === 'MountainCar-v0' ? [-1.2, -0.07].map(f) : high.map((v) => -v);
      expect(Array.from(space.low), id).toEqual(low);
    }
    const torque = make('Pendulum-v1').actionSpace as Box;
    expect([Array.from(torque.low), Array.from(torque.high), torque.shape]).toEqual([[-2], [2], [1]]);
    expect((make('CartPole-v1').actionSpace as Discrete).n).toBe(2);
    expect((make('MountainCar-v0').actionSpace as Discrete).n).toBe(3);
    expect((make('Acrobot-v1').actionSpace as Discrete).n).toBe(3);
  });

  it('sample inside themselves, CartPole unbounded dimensions included', () => {
    for (const id of IDS) {
      const env = make(id);
      env.observationSpace.seed(3);
      for (let i = 0; i < 20; i++) {
        const x = env.observationSpace.sample() as Float32Array;
        expect(x.every(Number.isFinite) && env.observationSpace.contains(x), id).toBe(true);
      }
    }
  });
});

describe('time limits and bad input', () => {
  it('truncate at the registered limit', () => {
    const limits: [string, number, number | Float32Array][] = [
      ['Pendulum-v1', 200, new Float32Array([0])],
      ['MountainCar-v0', 200, 1],
      ['Acrobot-v1', 500, 1],
    ];
    for (const [id, limit, action] of limits) {
      const env = make(id) as Env<Float32Array, number | Float32Array>;
      expect(env.spec.maxEpisodeSteps, id).toBe(limit);
      env.reset({ seed: 1 });
      for (let t = 1; t <= limit; t++) {
        const r = env.step(action);
        expect(r.truncated, `${id} step ${t}`).toBe(t === limit);
        expect(r.terminated, `${id} step ${t}`).toBe(false);
      }
    }
    expect(make('CartPole-v1').spec).toMatchObject({ maxEpisodeSteps: 500, rewardThreshold: 475 });
  });

  it('name the problem', () => {
    const cart = make('CartPole-v1');
    expect(() => cart.step(0)).toThrow(/CartPole-v1: step\(\) called before reset\(\)/);
    cart.reset({ seed: 0 });
    expect(() => cart.step(2)).toThrow(/CartPole-v1: action 2 is outside the action space Discrete\(2\)/);
    expect(() => cart.step(0.5)).toThrow(/outside the action space/);
    let done = false;
    while (!done) done = cart.step(1).terminated;
    expect(() => cart.step(1)).toThrow(/CartPole-v1: step\(\) called after the episode ended/);
    const pend = make('Pendulum-v1') as Env<Float32Array, Float32Array>;
    pend.reset({ seed: 0 });
    expect(() => pend.step(new Float32Array([NaN]))).toThrow(/Pendulum-v1: action \[NaN\] is outside the action space/);
    expect(() => pend.step(new Float32Array([2.5]))).toThrow(/action \[2.5\] is outside the action space Box\(-2, 2, \(1,\), float32\)/);
    expect(() => pend.step(new Float32Array([1, 1]))).toThrow(/outside the action space/);
    expect(() => make('CartPole-v1', { gravity: 3 })).toThrow(/CartPole-v1: unknown option 'gravity'/);
    expect(() => make('Acrobot-v1', { bookOrNips: 'paper' })).toThrow(/Acrobot-v1: option 'bookOrNips' must be one of 'book', 'nips'/);
    expect(() => make('MountainCar-v0').reset({ options: { low: 0.1, high: -0.1 } })).toThrow(/MountainCar-v0: lower bound/);
    expect(() => make('Pendulum-v1').reset({ options: { x_init: 'wide' } })).toThrow(/Pendulum-v1: an option \("wide"\) could not be converted/);
  });
});

describe('getState/setState', () => {
  const actionsFor = (id: string, t: number): number | Float32Array =>
    id === 'Pendulum-v1' ? new Float32Array([Math.fround(Math.sin(t) * 2)]) : t % (id === 'CartPole-v1' ? 2 : 3);

  for (const [id, kwargs, warmup] of [
    ['CartPole-v1', {}, 5],
    ['Pendulum-v1', {}, 7],
    ['MountainCar-v0', {}, 9],
    ['Acrobot-v1', { torqueNoiseMax: 0.1 }, 4],
    ['Acrobot-v1', {}, 0],
  ] as [string, EnvKwargs, number][]) {
    it(`restores ${id} ${JSON.stringify(kwargs)} after ${warmup} steps, generator included`, () => {
      const env = make(id, kwargs) as Env<Float32Array, number | Float32Array>;
      env.reset({ seed: 17 });
      for (let t = 0; t < warmup; t++) env.step(actionsFor(id, t));
      const saved = structuredClone(env.getState());
      const run = (): string => {
        const out: unknown[] = [];
        for (let t = 0; t < 30; t++) {
          const r = env.step(actionsFor(id, t));
          out.push([Array.from(r.observation), r.reward, r.terminated, r.truncated]);
          if (r.terminated || r.truncated) out.push(Array.from(env.reset().observation));
        }
        return JSON.stringify(out);
      };
      const first = run();
      env.setState(saved);
      expect(run()).toBe(first);
    });
  }
});

describe('CartPole render', () => {
  /** Mean column of the cart's black pixels, ignoring the one-row track line. */
  function cartCentroid(img: RgbImage): number {
    let sum = 0;
    let count = 0;
    for (let j = 0; j < img.height; j++) {
      let rowCount = 0;
      let rowSum = 0;
      for (let i = 0; i < img.width; i++) {
        const p = (j * img.width + i) * 3;
        if (img.data[p] < 40 && img.data[p + 1] < 40 && img.data[p + 2] < 40) {
          rowCount++;
          rowSum += i;
        }
      }
      if (rowCount > 0 && rowCount < img.width) {
        sum += rowSum;
        count += rowCount;
      }
    }
    return sum / count;
  }

  it("draws Gymnasium's geometry and the cart follows x", () => {
    const env = make('CartPole-v1') as CartPoleEnv;
    env.reset({ seed: 0 });
    env.x = 0;
    env.theta = 0;
    const img = env.render();
    expect([img.width, img.height, img.data.length]).toEqual([600, 400, 600 * 400 * 3]);
    // Cart centred at x = 300 (50 wide), its body between surface rows 85..115, i.e. image rows 285..315.
    expect(cartCentroid(img)).toBeCloseTo(299.5, 0);
    const at = (i: number, j: number): number[] => Array.from(img.data.subarray((j * 600 + i) * 3, (j * 600 + i) * 3 + 3));
    expect(at(300, 300)).toEqual([0, 0, 0]);
    expect(at(5, 299)).toEqual([0, 0, 0]); // track line at surface y = 100
    expect(at(300, 200)).toEqual([202, 152, 101]); // upright pole: 120 units above the axle (rows 172..292)
    expect(at(300, 165)).toEqual([255, 255, 255]);
    expect(at(300, 292)).toEqual([129, 132, 203]); // axle
    expect(at(10, 10)).toEqual([255, 255, 255]);
    env.x = 1.0;
    expect(cartCentroid(env.render())).toBeCloseTo(299.5 + 125, 0);
    env.x = -2.0;
    expect(cartCentroid(env.render())).toBeCloseTo(299.5 - 250, 0);
    // A tilted pole leans right for positive theta.
    env.x = 0;
    env.theta = 0.3;
    const tilted = env.render();
    const pole = (i: number, j: number): boolean => tilted.data[(j * 600 + i) * 3] === 202;
    expect(pole(300 + Math.round(80 * Math.sin(0.3)), 292 - Math.round(80 * Math.cos(0.3)))).toBe(true);
  });

  it('scales to a small render size for pixel agents', () => {
    const env = new CartPoleEnv({ renderWidth: 64, renderHeight: 64 });
    env.reset({ seed: 1 });
    const img = env.render();
    expect([img.width, img.height, img.data.length]).toEqual([64, 64, 64 * 64 * 3]);
    env.x = -1;
    const left = cartCentroid(env.render());
    env.x = 1;
    const right = cartCentroid(env.render());
    expect(right - left).toBeCloseTo((250 * 64) / 600, 0);
    const buf = new Uint8Array(64 * 64 * 3);
    env.renderInto(buf);
    expect(buf).toEqual(env.render().data);
  });

  it('other classic envs render RGB images too', () => {
    for (const id of ['Pendulum-v1', 'MountainCar-v0', 'Acrobot-v1']) {
      const env = make(id, { renderWidth: 96, renderHeight: 80 });
      env.reset({ seed: 0 });
      const img = env.render() as RgbImage;
      expect([img.width, img.height], id).toEqual([96, 80]);
      expect(img.data.some((v) => v !== 255), id).toBe(true);
    }
  });
});

describe('vector CartPole', () => {
  it('sub-env i of makeVec(seed s) follows make with seed s + i', () => {
    const n = 8;
    const seed = 31;
    const vec = makeVec('CartPole-v1', n);
    const envs = Array.from({ length: n }, () => make('CartPole-v1'));
    const obs = vec.reset({ seed }).observations;
    const pending = new Array<boolean>(n).fill(false);
    const expected = new Float32Array(4);
    for (let i = 0; i < n; i++) {
      expectSame(obs.subarray(4 * i, 4 * i + 4), Array.from(envs[i].reset({ seed: seed + i }).observation as Float32Array), `env ${i} reset`);
    }
    const actions = new Float64Array(n);
    for (let t = 0; t < 300; t++) {
      for (let i = 0; i < n; i++) actions[i] = (t * 7 + i * 3) % 5 < 2 ? 0 : 1;
      const r = vec.step(actions);
      for (let i = 0; i < n; i++) {
        let reward = 0;
        let done = false;
        if (pending[i]) {
          expected.set(envs[i].reset().observation as Float32Array);
          pending[i] = false;
        } else {
          const s = envs[i].step(actions[i]);
          expected.set(s.observation as Float32Array);
          reward = s.reward;
          done = s.terminated || s.truncated;
          pending[i] = done;
        }
        expectSame(r.observations.subarray(4 * i, 4 * i + 4), Array.from(expected), `env ${i} step ${t}`);
        expect(r.rewards[i]).toBe(reward);
        expect(r.terminated[i] === 1 || r.truncated[i] === 1).toBe(done);
      }
    }
  });
});
