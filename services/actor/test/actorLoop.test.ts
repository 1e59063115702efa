import { npRandom } from '@reverie/core';
import { createPolicy } from '@reverie/policy';
import { afterEach, describe, expect, it } from 'vitest';
import { PooledVectorEnv, runActorLoop, TrajectoryAssembler, type TrajectoryChunk, type VersionedPolicy } from '../src/index.js';

const open: PooledVectorEnv[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
});

async function cartPole(autoreset: 'same-step' | 'next-step' = 'same-step'): Promise<PooledVectorEnv> {
  const venv = await PooledVectorEnv.create({ envId: 'CartPole-v1', numEnvs: 8, workers: 2, seed: 3, autoreset });
  open.push(venv);
  return venv;
}

/**
 * A linear Q-policy with Q(0) = 0 and Q(1) = angle + 0.5 angular velocity: pushes the cart towards
 * the side the pole leans to, which keeps CartPole up far longer than chance.
 */
function leaningPolicy(version: number): VersionedPolicy {
  const weight = new Float32Array(8); // [obs 4, actions 2], row-major
  weight[2 * 2 + 1] = 1;
  weight[3 * 2 + 1] = 0.5;
  const spec = { kind: 'mlp-q', obsShape: [4], numActions: 2, hidden: [], activation: 'tanh' } as const;
  return { version, policy: createPolicy(spec, { 'l0.weight': weight, 'l0.bias': new Float32Array(2) }) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('condition not reached within 10 s');
    await sleep(10);
  }
}

describe('runActorLoop', () => {
  it('steps, records and hands out chunks; a policy swap lands between steps', async () => {
    const venv = await cartPole();
    const assembler = new TrajectoryAssembler({ numEnvs: 8, numSteps: 25, observationSize: 4, actionSize: 1, discrete: true, poolSize: 2 });
    const chunks: TrajectoryChunk[] = [];
    let current = leaningPolicy(1);
    let steps = 0;
    const done = await runActorLoop({
      venv,
      assembler,
      policy: () => current,
      onStep: () => {
        if (++steps === 60) current = leaningPolicy(2);
      },
      onChunk: (chunk) => {
        chunks.push({ ...chunk, observations: chunk.observations.slice(), actions: chunk.actions.slice() });
        chunk.release();
      },
      maxSteps: 100,
    });
    expect(done).toBe(100);
    expect(chunks.map((c) => [c.sequence, c.policyVersion])).toEqual([[0, 1], [1, 1], [2, 1], [3, 2]]);
    // The recorded actions are the policy's on the recorded observations.
    const expected = new Int32Array(8);
    for (const chunk of chunks) {
      for (let t = 0; t < 25; t++) {
        leaningPolicy(0).policy.act(chunk.observations.subarray(t * 32, (t + 1) * 32), 8, expected);
        expect(Array.from(chunk.actions.subarray(t * 8, (t + 1) * 8))).toEqual(Array.from(expected));
      }
    }
  });

  it('waits while the sender holds every chunk', async () => {
    const venv = await cartPole();
    const assembler = new TrajectoryAssembler({ numEnvs: 8, numSteps: 5, observationSize: 4, actionSize: 1, discrete: true, poolSize: 2 });
    const held: TrajectoryChunk[] = [];
    const controller = new AbortController();
    let stepsTaken = 0;
    const loop = runActorLoop({ venv, assembler, policy: () => leaningPolicy(0), onChunk: (c) => void held.push(c), onStep: () => stepsTaken++, signal: controller.signal });
    await until(() => held.length === 2);
    await sleep(100);
    expect(stepsTaken).toBe(10);
    held[0].release();
    await until(() => held.length === 3);
    await sleep(100);
    expect(stepsTaken).toBe(15);
    controller.abort();
    held[1].release();
    expect(await loop).toBe(15);
  });

  it('explores with a seeded epsilon-greedy: same seed, same actions', async () => {
    const actionsOf = async (seed: number, epsilon: number) => {
      const venv = await cartPole();
      const assembler = new TrajectoryAssembler({ numEnvs: 8, numSteps: 50, observationSize: 4, actionSize: 1, discrete: true });
      let actions: number[] = [];
      const rng = npRandom(seed).rng;
      await runActorLoop({ venv, assembler, policy: () => leaningPolicy(0), epsilon: () => epsilon, rng, onChunk: (c) => void (actions = Array.from(c.actions)), maxSteps: 50 });
      return actions;
    };
    const [a, b, c] = [await actionsOf(1, 0.5), await actionsOf(1, 0.5), await actionsOf(2, 0.5)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(await actionsOf(1, 0)).not.toEqual(a);
  });

  it('refuses a policy that does not fit the env', async () => {
    const venv = await cartPole();
    const assembler = new TrajectoryAssembler({ numEnvs: 8, numSteps: 5, observationSize: 4, actionSize: 1, discrete: true });
    const spec = { kind: 'mlp-q', obsShape: [3], numActions: 2, hidden: [], activation: 'tanh' } as const;
    const policy = createPolicy(spec, { 'l0.weight': new Float32Array(6), 'l0.bias': new Float32Array(2) });
    await expect(runActorLoop({ venv, assembler, policy: () => ({ version: 0, policy }), onChunk: () => {} })).rejects.toThrow(
      'policy reads 3 observation values and picks among 2 actions; CartPole-v1 has 4 and 2',
    );
  });

  it('refuses a next-step env: its reset steps are no transitions', async () => {
    const venv = await cartPole('next-step');
    const assembler = new TrajectoryAssembler({ numEnvs: 8, numSteps: 5, observationSize: 4, actionSize: 1, discrete: true });
    await expect(runActorLoop({ venv, assembler, policy: () => leaningPolicy(0), onChunk: () => {} })).rejects.toThrow("runActorLoop needs a pooled env with autoreset 'same-step', got 'next-step'");
  });
});
