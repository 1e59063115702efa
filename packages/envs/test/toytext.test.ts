import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Env,
  type EnvKwargs,
  FrozenLakeEnv,
  generateRandomMap,
  make,
  TaxiEnv,
  type TransitionTable,
  taxiTransitions,
  frozenLakeTransitions,
  FROZEN_LAKE_MAPS,
} from '@reverie/envs';

// Reference data from fixtures/toytext_reference.py, an independent NumPy implementation of
// Gymnasium 1.x's Taxi-v3 and FrozenLake-v1 (regenerate: python3 toytext_reference.py > toytext_reference.json).

interface RefStep {
  action: number;
  obs: number;
  reward: number;
  terminated: boolean;
  prob: number;
  mask?: number[];
}
interface RefEpisode {
  initial: number;
  fickleStep?: boolean;
  steps: RefStep[];
}
interface RefTaxiCase {
  name: string;
  isRainy: boolean;
  ficklePassenger: boolean;
  seed: number;
  policy: 'plan' | 'list';
  actions?: number[];
  episodes: RefEpisode[];
}
interface RefLakeCase {
  name: string;
  kwargs: EnvKwargs;
  seed: number;
  actions: number[];
  episodes: RefEpisode[];
}
interface RefRow {
  s: number;
  a: number;
  outcomes: [number, number, number, boolean][];
}
interface Reference {
  taxiInitialStates: number[];
  taxi: RefTaxiCase[];
  taxiRender: { seed: number; frames: { actions: number[]; text: string }[] };
  frozenLake: RefLakeCase[];
  frozenLakeInitialStates: { desc: string[]; states: number[] };
  frozenLakeRender: { s: number; last: number | null; text: string }[];
  randomMaps: { size: number; p: number; seed: number; map: string[] }[];
  P: { hashes: Record<string, string>; rows: Record<string, RefRow[]> };
}

const ref = JSON.parse(readFileSync(new URL('./fixtures/toytext_reference.json', import.meta.url), 'utf8')) as Reference;

/** Same canonical text as the Python side: one line per outcome, floats as big-endian IEEE bits. */
function tableHash(t: TransitionTable): string {
  const view = new DataView(new ArrayBuffer(8));
  const hex = (x: number): string => {
    view.setFloat64(0, x);
    return Array.from(new Uint8Array(view.buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  };
  let text = '';
  for (let s = 0; s < t.nS; s++) {
    for (let a = 0; a < t.nA; a++) {
      for (const o of t.outcomes(s, a)) text += `${s} ${a} ${hex(o.prob)} ${o.nextState} ${hex(o.reward)} ${o.terminated ? 1 : 0}\n`;
    }
  }
  return createHash('sha256').update(text).digest('hex');
}

/** Dry-map steps-to-go, the planner the reference used to drive Taxi trajectories to deliveries. */
function taxiPlanner(): (s: number) => number {
  const P = taxiTransitions(false);
  const dist = new Float64Array(500).fill(Infinity);
  const cost = (s: number, a: number): number => {
    const [o] = P.outcomes(s, a);
    return 1 + (o.terminated ? 0 : dist[o.nextState]);
  };
  for (let it = 0; it < 60; it++) for (let s = 0; s < 500; s++) for (let a = 0; a < 6; a++) dist[s] = Math.min(dist[s], cost(s, a));
  return (s) => {
    let best = 0;
    for (let a = 1; a < 6; a++) if (cost(s, a) < cost(s, best)) best = a;
    return best;
  };
}

function checkEpisodes(env: Env, seed: number, episodes: RefEpisode[], pick: (s: number, i: number) => number, withMask: boolean): void {
  episodes.forEach((ep, e) => {
    const { observation, info } = env.reset(e === 0 ? { seed } : {});
    expect(observation, `episode ${e} initial state`).toBe(ep.initial);
    if (ep.fickleStep !== undefined) expect((env as TaxiEnv).fickleStep).toBe(ep.fickleStep);
    expect(info.prob).toBe(1);
    let s = observation as number;
    ep.steps.forEach((want, i) => {
      const a = pick(s, i);
      expect(a, `episode ${e} step ${i} action`).toBe(want.action);
      const r = env.step(a);
      const got = { obs: r.observation, reward: r.reward, terminated: r.terminated, prob: r.info.prob };
      expect(got, `episode ${e} step ${i}`).toEqual({ obs: want.obs, reward: want.reward, terminated: want.terminated, prob: want.prob });
      if (withMask) expect(Array.from(r.info.actionMask as Uint8Array)).toEqual(want.mask);
      s = r.observation as number;
    });
  });
}

describe('Taxi-v3 against the NumPy reference', () => {
  it('draws the same initial state for seeds 0..49', () => {
    const env = make('Taxi-v3');
    const got = ref.taxiInitialStates.map((_, seed) => env.reset({ seed }).observation);
    expect(got).toEqual(ref.taxiInitialStates);
  });

  it('has the same transition tables (dry and rainy), bit for bit', () => {
    expect(tableHash(taxiTransitions(false))).toBe(ref.P.hashes.taxiDry);
    expect(tableHash(taxiTransitions(true))).toBe(ref.P.hashes.taxiRainy);
    const rainy = new TaxiEnv({ isRainy: true });
    for (const row of ref.P.rows.taxiRainy) {
      expect(rainy.P[row.s][row.a].map((t) => [t.prob, t.nextState, t.reward, t.terminated])).toEqual(row.outcomes);
    }
  });

  const plan = taxiPlanner();
  for (const c of ref.taxi) {
    it(`replays ${c.name} seed ${c.seed} (${c.episodes.length} episode(s), generator carried across resets)`, () => {
      const env = make('Taxi-v3', { isRainy: c.isRainy, ficklePassenger: c.ficklePassenger, maxEpisodeSteps: null });
      const actions = c.actions;
      const pick = actions === undefined ? (s: number) => plan(s) : (_s: number, i: number) => actions[i];
      checkEpisodes(env, c.seed, c.episodes, pick, true);
    });
  }

  it('renders ansi text like Gymnasium', () => {
    const env = make('Taxi-v3');
    env.reset({ seed: ref.taxiRender.seed });
    const frames = ref.taxiRender.frames;
    expect(env.render()).toBe(frames[0].text);
    for (let i = 1; i < frames.length; i++) {
      env.step(frames[i].actions[i - 1]);
      expect(env.render(), `frame ${i}`).toBe(frames[i].text);
    }
  });
});

describe('FrozenLake-v1 against the NumPy reference', () => {
  for (const c of ref.frozenLake) {
    it(`replays ${c.name} seed ${c.seed} over ${c.episodes.length} episodes`, () => {
      const env = make('FrozenLake-v1', { ...c.kwargs, maxEpisodeSteps: null });
      let k = 0;
      checkEpisodes(env, c.seed, c.episodes, () => c.actions[k++ % c.actions.length], false);
    });
  }

  it('draws the start uniformly among several S cells like categorical_sample', () => {
    const env = make('FrozenLake-v1', { desc: ref.frozenLakeInitialStates.desc });
    expect(ref.frozenLakeInitialStates.states.map((_, seed) => env.reset({ seed }).observation)).toEqual(ref.frozenLakeInitialStates.states);
  });

  it('has the same transition tables, bit for bit', () => {
    const lake = (desc: readonly string[], isSlippery = true, successRate = 1 / 3, rewardSchedule: [number, number, number] = [1, 0, 0]) =>
      frozenLakeTransitions({ desc, isSlippery, successRate, rewardSchedule });
    expect(tableHash(lake(FROZEN_LAKE_MAPS['4x4']))).toBe(ref.P.hashes.lake4x4Slippery);
    expect(tableHash(lake(FROZEN_LAKE_MAPS['4x4'], false))).toBe(ref.P.hashes.lake4x4Dry);
    expect(tableHash(lake(FROZEN_LAKE_MAPS['8x8']))).toBe(ref.P.hashes.lake8x8Slippery);
    expect(tableHash(lake(FROZEN_LAKE_MAPS['4x4'], true, 0.8, [2, -1, -0.01]))).toBe(ref.P.hashes.lake4x4Custom);
    const env = new FrozenLakeEnv();
    for (const row of ref.P.rows.lake4x4Slippery) {
      expect(env.P[row.s][row.a].map((t) => [t.prob, t.nextState, t.reward, t.terminated])).toEqual(row.outcomes);
    }
    // Gymnasium 1.x computes the slip probability as (1 - 1/3) / 2, one ulp above 1/3.
    expect(env.P[0][0][0].prob).toBe(0.33333333333333337);
    expect(env.P[0][0][1].prob).toBe(1 / 3);
  });

  it('generates the same random maps as generate_random_map(size, p, seed)', () => {
    for (const m of ref.randomMaps) expect(generateRandomMap(m.size, m.p, m.seed), `size ${m.size} p ${m.p} seed ${m.seed}`).toEqual(m.map);
  });

  it('renders ansi text like Gymnasium', () => {
    const env = new FrozenLakeEnv();
    for (const r of ref.frozenLakeRender) {
      env.reset({ seed: 0 });
      env.setState({ ...env.getState(), core: { s: r.s, lastAction: r.last } });
      expect(env.render()).toBe(r.text);
    }
  });
});
