import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeVec, type AutoresetMode } from '@reverie/envs';
import { afterEach, describe, expect, it } from 'vitest';
import { PooledVectorEnv, RolloutError } from '../src/index.js';

const open: PooledVectorEnv[] = [];
async function pooled(...args: Parameters<typeof PooledVectorEnv.create>): Promise<PooledVectorEnv> {
  const venv = await PooledVectorEnv.create(...args);
  open.push(venv);
  return venv;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
});

/** A fixed, varied action sequence: discrete in [0, n), or float32 torques in [-2, 2]. */
function writeActions(actions: Int32Array | Float32Array, t: number, numActions: number | undefined): void {
  for (let i = 0; i < actions.length; i++) {
    const u = Math.sin(1.7 * t + 2.3 * i + 0.5 * t * i);
    actions[i] = numActions === undefined ? 2 * u : Math.floor(((u + 1) / 2) * numActions) % numActions;
  }
}

function expectSame(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length, label).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    if (!Object.is(actual[k], expected[k])) throw new Error(`${label}[${k}]: ${actual[k]} !== ${expected[k]}`);
  }
}

async function compareWithMakeVec(envId: string, autoreset: AutoresetMode, steps: number): Promise<number> {
  const numEnvs = 6;
  const venv = await pooled({ envId, numEnvs, workers: 2, seed: 11, autoreset });
  const ref = makeVec(envId, numEnvs, { autoreset });
  expectSame('reset observations', venv.observations, ref.reset({ seed: 11 }).observations);
  let episodesEnded = 0;
  for (let t = 0; t < steps; t++) {
    writeActions(venv.actions, t, venv.numActions);
    await venv.step();
    const out = ref.step(venv.actions);
    expectSame(`step ${t} observations`, venv.observations, out.observations);
    expectSame(`step ${t} rewards`, venv.rewards, out.rewards);
    expectSame(`step ${t} terminated`, venv.terminated, out.terminated);
    expectSame(`step ${t} truncated`, venv.truncated, out.truncated);
    const next = Float32Array.from(out.observations);
    if (autoreset === 'same-step') {
      for (let i = 0; i < numEnvs; i++) {
        if (ref.hasFinal[i] === 1) next.set(ref.finalObservations.subarray(i * venv.observationSize, (i + 1) * venv.observationSize), i * venv.observationSize);
      }
    }
    expectSame(`step ${t} next observations`, venv.nextObservations, next);
    for (let i = 0; i < numEnvs; i++) episodesEnded += out.terminated[i] | out.truncated[i];
  }
  return episodesEnded;
}

describe('PooledVectorEnv', () => {
  it('matches makeVec bit for bit on CartPole-v1 (N=6, W=2), next-step and same-step autoreset', async () => {
    expect(await compareWithMakeVec('CartPole-v1', 'next-step', 300)).toBeGreaterThan(6);
    expect(await compareWithMakeVec('CartPole-v1', 'same-step', 300)).toBeGreaterThan(6);
  });

  it('matches makeVec bit for bit on Pendulum-v1 with Box actions, across the time limit', async () => {
    expect(await compareWithMakeVec('Pendulum-v1', 'next-step', 300)).toBe(6);
    expect(await compareWithMakeVec('Pendulum-v1', 'same-step', 300)).toBe(6);
  });

  it('splits uneven slices (N=5, W=3) and reseeds on reset', async () => {
    const venv = await pooled({ envId: 'CartPole-v1', numEnvs: 5, workers: 3, seed: 0 });
    const ref = makeVec('CartPole-v1', 5);
    ref.reset({ seed: 0 });
    for (let t = 0; t < 40; t++) {
      writeActions(venv.actions, t, 2);
      await venv.step();
      expectSame(`step ${t}`, venv.observations, ref.step(venv.actions).observations);
    }
    await venv.reset({ seed: 123 });
    expectSame('after reset', venv.observations, ref.reset({ seed: 123 }).observations);
  });

  it('counts episode returns and lengths as makeVec steps them', async () => {
    const venv = await pooled({ envId: 'CartPole-v1', numEnvs: 4, workers: 2, seed: 5, autoreset: 'next-step' });
    const lengths = new Int32Array(4);
    let resetNext = new Uint8Array(4);
    for (let t = 0; t < 200; t++) {
      writeActions(venv.actions, t, 2);
      await venv.step();
      for (let i = 0; i < 4; i++) {
        // next-step: the step after an episode's end only resets the env.
        lengths[i] = resetNext[i] ? 0 : lengths[i] + 1;
      }
      expectSame(`step ${t} lengths`, venv.episodeLengths, lengths);
      expectSame(`step ${t} returns`, venv.episodeReturns, Float64Array.from(lengths));
      resetNext = venv.terminated.map((x, i) => x | venv.truncated[i]);
    }
  });

  it('rejects a bad action with the env index and message, then recovers after reset', async () => {
    const venv = await pooled({ envId: 'CartPole-v1', numEnvs: 6, workers: 2, seed: 1 });
    venv.actions.fill(1);
    venv.actions[4] = 7;
    const error = await venv.step().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RolloutError);
    expect((error as RolloutError).envIndex).toBe(4);
    expect((error as RolloutError).message).toBe('CartPole-v1: action 7 for env 4 is outside the action space Discrete(2)');
    venv.actions[4] = 0;
    await expect(venv.step()).rejects.toThrow(/previous step failed .*reset\(\) before stepping again/);
    await venv.reset({ seed: 1 });
    await venv.step();
    const ref = makeVec('CartPole-v1', 6);
    ref.reset({ seed: 1 });
    expectSame('after recovery', venv.observations, ref.step(venv.actions).observations);
  });

  it('names a bad Box action and its env', async () => {
    const venv = await pooled({ envId: 'Pendulum-v1', numEnvs: 3, workers: 3, seed: 1 });
    venv.actions[2] = 2.5;
    await expect(venv.step()).rejects.toThrow('Pendulum-v1: action [2.5] for env 2 is outside the action space Box(-2, 2, (1,), float32)');
  });

  it('refuses a second step while one is running, and any call after close()', async () => {
    const venv = await pooled({ envId: 'CartPole-v1', numEnvs: 4, workers: 2, seed: 0 });
    const first = venv.step();
    await expect(venv.step()).rejects.toThrow('CartPole-v1: a step or reset is already running; await it first');
    await expect(venv.reset({ seed: 1 })).rejects.toThrow('already running');
    await first;
    await venv.close();
    await expect(venv.step()).rejects.toThrow('CartPole-v1: the pooled vector env is closed');
  });

  it('refuses bad options on the calling thread', async () => {
    await expect(PooledVectorEnv.create({ envId: 'CartPole-v1', numEnvs: 2, workers: 3 })).rejects.toThrow('workers (3) must not exceed numEnvs (2)');
    await expect(PooledVectorEnv.create({ envId: 'NoSuchEnv-v0', numEnvs: 2, workers: 1 })).rejects.toThrow(/Unknown environment id 'NoSuchEnv-v0'/);
    await expect(PooledVectorEnv.create({ envId: 'CartPole-v1', numEnvs: 2, workers: 1, seed: -1 })).rejects.toThrow('seed must be a non-negative integer, got -1');
  });

  it('blocking steps give the same results as awaited ones', async () => {
    const a = await pooled({ envId: 'CartPole-v1', numEnvs: 8, workers: 2, seed: 9 });
    const b = await pooled({ envId: 'CartPole-v1', numEnvs: 8, workers: 2, seed: 9 });
    for (let t = 0; t < 50; t++) {
      writeActions(a.actions, t, 2);
      b.actions.set(a.actions);
      await a.step();
      b.stepBlocking();
      expectSame(`step ${t}`, b.observations, a.observations);
    }
  });

  it('close() ends every worker thread: a process that used it exits by itself', () => {
    const script = `
      import { PooledVectorEnv } from '@reverie/actor';
      const venv = await PooledVectorEnv.create({ envId: 'CartPole-v1', numEnvs: 8, workers: 2, seed: 0 });
      for (let t = 0; t < 10; t++) { venv.actions.fill(t % 2); await venv.step(); }
      await venv.close();
      await venv.close();
      console.log('closed');`;
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, timeout: 30_000, encoding: 'utf8' });
    expect(run.error, 'the process did not exit within 30 s').toBeUndefined();
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('closed');
    expect(run.status).toBe(0);
  });
});
