import { afterEach, describe, expect, it } from 'vitest';
import { PooledVectorEnv, TrajectoryAssembler, type TrajectoryChunk } from '../src/index.js';

const open: PooledVectorEnv[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
});

/** Every step fed to the assembler, copied as plain arrays. */
interface FedStep {
  observations: number[];
  actions: number[];
  rewards: number[];
  terminated: number[];
  truncated: number[];
  nextObservations: number[];
}

const copy = (a: ArrayLike<number>) => Array.from(a);
const rows = (a: ArrayLike<number>, t: number, width: number) => Array.from(a).slice(t * width, (t + 1) * width);

describe('TrajectoryAssembler', () => {
  it('hands out chunks equal to the steps fed, with episode returns and lengths across autoresets', async () => {
    const venv = await PooledVectorEnv.create({ envId: 'Pendulum-v1', numEnvs: 3, workers: 2, seed: 4, autoreset: 'same-step', envKwargs: { maxEpisodeSteps: 17 } });
    open.push(venv);
    const T = 10;
    const assembler = new TrajectoryAssembler({ numEnvs: 3, numSteps: T, observationSize: 3, actionSize: 1, discrete: false, poolSize: 8 });
    const fed: FedStep[] = [];
    const chunks: TrajectoryChunk[] = [];
    // The test's own bookkeeping of episodes, from the rewards and done flags alone.
    const running = [0, 0, 0];
    const runningLength = [0, 0, 0];
    const ended: { ret: number; len: number; step: number }[] = [];
    for (let t = 0; t < 6 * T; t++) {
      for (let i = 0; i < 3; i++) venv.actions[i] = Math.fround(1.9 * Math.sin(0.3 * t + i));
      const acted = { observations: copy(venv.observations), actions: copy(venv.actions) };
      assembler.recordActions(venv, 7 - Math.floor(t / 25));
      await venv.step();
      fed.push({ ...acted, rewards: copy(venv.rewards), terminated: copy(venv.terminated), truncated: copy(venv.truncated), nextObservations: copy(venv.nextObservations) });
      for (let i = 0; i < 3; i++) {
        running[i] += venv.rewards[i];
        runningLength[i]++;
        if (venv.terminated[i] || venv.truncated[i]) {
          ended.push({ ret: running[i], len: runningLength[i], step: t });
          running[i] = 0;
          runningLength[i] = 0;
        }
      }
      const chunk = assembler.recordOutcome(venv);
      expect(chunk === undefined).toBe((t + 1) % T !== 0);
      if (chunk) chunks.push(chunk);
    }
    expect(chunks.map((c) => c.sequence)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(chunks.map((c) => c.policyVersion)).toEqual([7, 7, 6, 6, 6, 5]);
    for (const [c, chunk] of chunks.entries()) {
      expect([chunk.numSteps, chunk.numEnvs]).toEqual([T, 3]);
      for (let s = 0; s < T; s++) {
        const step = fed[c * T + s];
        expect(rows(chunk.observations, s, 9), `chunk ${c} step ${s}`).toEqual(step.observations);
        expect(rows(chunk.actions, s, 3)).toEqual(step.actions);
        expect(rows(chunk.rewards, s, 3)).toEqual(step.rewards.map(Math.fround));
        expect(rows(chunk.terminated, s, 3)).toEqual(step.terminated);
        expect(rows(chunk.truncated, s, 3)).toEqual(step.truncated);
        expect(rows(chunk.nextObservations, s, 9)).toEqual(step.nextObservations);
      }
      const inChunk = ended.filter((e) => Math.floor(e.step / T) === c);
      expect(chunk.episodeLengths).toEqual(inChunk.map((e) => e.len));
      expect(chunk.episodeReturns).toEqual(inChunk.map((e) => e.ret));
    }
    // 60 steps of 17-step episodes: 3 endings per env, at steps 16, 33, 50.
    expect(ended.map((e) => e.len)).toEqual(Array(9).fill(17));
    // The last observation of an ended episode is the next observation, not the reset one.
    const last = fed[16];
    expect(last.truncated).toEqual([1, 1, 1]);
    expect(last.nextObservations).not.toEqual(fed[17].observations);
  });

  it('runs out of buffers while chunks are held, and records again once one is released', async () => {
    const assembler = new TrajectoryAssembler({ numEnvs: 2, numSteps: 1, observationSize: 1, actionSize: 1, discrete: true, poolSize: 2 });
    const acting = { observations: new Float32Array([0.5, -0.5]), actions: new Int32Array([1, 0]) };
    const outcome = {
      rewards: new Float64Array([1, 2]),
      terminated: new Uint8Array([0, 1]),
      truncated: new Uint8Array([0, 0]),
      nextObservations: new Float32Array([0.25, 0.75]),
      episodeReturns: new Float64Array([3, 4]),
      episodeLengths: new Int32Array([3, 4]),
    };
    const take = () => {
      assembler.recordActions(acting, 1);
      const chunk = assembler.recordOutcome(outcome);
      if (chunk === undefined) throw new Error('a one-step chunk should be complete');
      return chunk;
    };
    const first = take();
    const second = take();
    expect(assembler.hasFreeChunk).toBe(false);
    expect(() => assembler.recordActions(acting, 1)).toThrow('every chunk buffer is out; await whenChunkFree() before recording');
    let woke = false;
    const waiting = assembler.whenChunkFree().then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    first.release();
    await waiting;
    expect(() => first.release()).toThrow('trajectory chunk 0 was released twice');
    const third = take();
    expect(third).toBe(first);
    expect(third.sequence).toBe(2);
    expect(third.episodeReturns).toEqual([4]);
    expect(third.episodeLengths).toEqual([4]);
    expect(Array.from(second.actions)).toEqual([1, 0]);
  });

  it('names a bad size', () => {
    expect(() => new TrajectoryAssembler({ numEnvs: 2, numSteps: 0, observationSize: 1, actionSize: 1, discrete: true })).toThrow('numSteps must be a positive integer, got 0');
  });
});
