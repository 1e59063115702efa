import { describe, expect, it } from 'vitest';
import { npRandom } from '@reverie/core';
import { type Env, make } from '@reverie/envs';
import { PlanningError, type StepOutputs, TrueEnvDynamics } from '@reverie/planning';

function outputs(rows: number, stateSize: number): StepOutputs {
  return { nextStates: new Float32Array(rows * stateSize), rewards: new Float64Array(rows), done: new Float64Array(rows) };
}

/** A random action of the env's space, drawn from our own generator (the env's must not be touched). */
function randomAction(env: Env, u: () => number): number | Float32Array {
  return env.id === 'Pendulum-v1' ? Float32Array.of(-2 + 4 * u()) : u() < 0.5 ? 0 : 1;
}

function writeAction(actions: Float32Array, row: number, a: number | Float32Array): void {
  if (typeof a === 'number') actions[row] = a;
  else actions.set(a, row * a.length);
}

function expectSameFloats(actual: ArrayLike<number>, expected: ArrayLike<number>, where: string): void {
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${where}: lane ${i} is ${actual[i]}, the env gives ${expected[i]}`);
  }
}

describe('TrueEnvDynamics reproduces the real env bit for bit', () => {
  for (const id of ['CartPole-v1', 'Pendulum-v1']) {
    it(`${id}: one-step branches from every state of an episode`, () => {
      const env = make(id);
      const twin = make(id); // steps the same branch through the public API, for comparison
      const dyn = TrueEnvDynamics.make(id);
      const { rng } = npRandom(7);
      const u = () => rng.random();
      const S = dyn.stateSize;
      const rows = 3;
      const root = new Float32Array(S);
      const states = new Float32Array(rows * S);
      const actions = new Float32Array(rows); // both envs take one action lane
      const out = outputs(rows, S);
      env.reset({ seed: 3 });
      for (let t = 0; t < 150; t++) {
        dyn.stateFromEnv(env, root);
        const branch = Array.from({ length: rows }, () => randomAction(env, u));
        for (let r = 0; r < rows; r++) {
          states.set(root, r * S);
          writeAction(actions, r, branch[r]);
        }
        dyn.step(states, actions, rows, out);
        for (let r = 0; r < rows; r++) {
          twin.setState(env.getState());
          const ref = twin.step(branch[r]);
          const where = `${id} step ${t} row ${r}`;
          expectSameFloats(out.nextStates.subarray(r * S, r * S + dyn.observationSize), ref.observation as Float32Array, where);
          expect(out.rewards[r], where).toBe(ref.reward);
          expect(out.done[r], where).toBe(ref.terminated ? 1 : 0);
        }
        const real = env.step(branch[0]);
        if (real.terminated || real.truncated) env.reset();
      }
    });

    it(`${id}: 60-step batched rollouts follow the real env`, () => {
      const env = make(id, { maxEpisodeSteps: null });
      env.reset({ seed: 11 });
      for (let k = 0; k < 5; k++) env.step(randomAction(env, () => 0.3));
      const dyn = TrueEnvDynamics.make(id);
      const { rng } = npRandom(5);
      const rows = 4;
      const H = 60;
      const S = dyn.stateSize;
      const plans = Array.from({ length: rows }, () => Array.from({ length: H }, () => randomAction(env, () => rng.random())));
      let cur = new Float32Array(rows * S);
      let next = new Float32Array(rows * S);
      const root = new Float32Array(S);
      dyn.stateFromEnv(env, root);
      for (let r = 0; r < rows; r++) cur.set(root, r * S);
      const twins = plans.map(() => {
        const e = make(id, { maxEpisodeSteps: null });
        e.setState(env.getState());
        return e;
      });
      const actions = new Float32Array(rows);
      const out = outputs(rows, S);
      for (let t = 0; t < H; t++) {
        for (let r = 0; r < rows; r++) writeAction(actions, r, plans[r][t]);
        out.nextStates = next;
        dyn.step(cur, actions, rows, out);
        for (let r = 0; r < rows; r++) {
          const ref = twins[r].step(plans[r][t]);
          const where = `${id} t ${t} row ${r}`;
          expectSameFloats(next.subarray(r * S, r * S + dyn.observationSize), ref.observation as Float32Array, where);
          expect(out.rewards[r], where).toBe(ref.reward);
          expect(out.done[r], where).toBe(ref.terminated ? 1 : 0);
          // Gymnasium lets a terminated CartPole step on (reward 0); the public step() refuses, so reopen the twin.
          if (ref.terminated) twins[r].setState({ ...twins[r].getState(), phase: 'running' });
        }
        [cur, next] = [next, cur];
      }
    });
  }

  it('describes the env: state = observation + 2 handle lanes, action spec from the space', () => {
    const cp = TrueEnvDynamics.make('CartPole-v1');
    expect([cp.stateSize, cp.observationSize, cp.ensembleSize, cp.providesDisagreement]).toEqual([6, 4, 1, false]);
    expect(cp.actionSpec).toEqual({ kind: 'discrete', n: 2 });
    const pd = TrueEnvDynamics.make('Pendulum-v1');
    expect(pd.actionSpec.kind).toBe('continuous');
    if (pd.actionSpec.kind === 'continuous') expect([pd.actionSpec.low[0], pd.actionSpec.high[0]]).toEqual([-2, 2]);
  });
});

describe('TrueEnvDynamics refuses states it cannot reproduce exactly', () => {
  const setup = () => {
    const env = make('CartPole-v1');
    env.reset({ seed: 0 });
    const dyn = TrueEnvDynamics.make('CartPole-v1');
    const S = dyn.stateSize;
    const root = new Float32Array(S);
    dyn.stateFromEnv(env, root);
    const states = new Float32Array(2 * S);
    states.set(root, 0);
    states.set(root, S);
    return { env, dyn, S, root, states, actions: new Float32Array(2), out: outputs(2, S) };
  };

  it('a stale state (an output two steps old) or a permuted row', () => {
    const { dyn, S, states, actions, out } = setup();
    dyn.step(states, actions, 2, out);
    const first = out.nextStates.slice();
    const swapped = new Float32Array(2 * S);
    swapped.set(first.subarray(S, 2 * S), 0);
    swapped.set(first.subarray(0, S), S);
    expect(() => dyn.step(swapped, actions, 2, outputs(2, S))).toThrow(/rows cannot be reordered/);
    dyn.step(first, actions, 2, out);
    expect(() => dyn.step(first, actions, 2, outputs(2, S))).toThrow(/stale state/);
  });

  it('an old root, a foreign env, an out-of-range discrete action', () => {
    const { env, dyn, S, states, actions, out } = setup();
    dyn.stateFromEnv(env, new Float32Array(S)); // a newer root replaces the one in `states`
    expect(() => dyn.step(states, actions, 2, out)).toThrow(/no longer live/);
    expect(() => dyn.stateFromEnv(make('Pendulum-v1'), new Float32Array(S))).toThrow(PlanningError);
    dyn.stateFromEnv(env, states);
    expect(() => dyn.step(states, Float32Array.of(2), 1, out)).toThrow(/action 2, outside 0..1/);
  });
});
