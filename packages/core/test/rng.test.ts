import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  NumpyGenerator,
  npRandom,
  PCG64,
  type PCG64State,
  SeedSequence,
  intToUint32Words,
} from '@reverie/core';

// Reference draws from real NumPy: see fixtures/make_numpy_fixtures.py.
interface NpState {
  state: string;
  inc: string;
  has_uint32: number;
  uinteger: number;
}
type Op =
  | { op: 'integers'; low: number; high: number; value: number }
  | { op: 'uniform'; low: number; high: number; value: number }
  | { op: 'random' | 'normal'; value: number }
  | { op: 'choice'; p: number; value: number };
interface SeedCase {
  seed: string;
  entropy: string;
  entropy_words: number[];
  pool: number[];
  generate_state_u32_8: number[];
  generate_state_u64_4: string[];
  initial_state: NpState;
  raw: string[];
  random: number[];
  uniform: number[];
  integers: { low: number; high: number; values: number[]; after: NpState }[];
  normal: number[];
  choice: { p: number[]; draws: number[] }[];
  ops: Op[];
  state_after_ops: NpState;
}
interface Fixtures {
  numpy_version: string;
  seeds: SeedCase[];
  normal_long: {
    seed: number;
    count: number;
    hash: string;
    sum: number;
    tail: [number, number][];
    after: NpState;
  };
}

const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/numpy_rng.json', import.meta.url), 'utf8'),
) as Fixtures;
const CHOICE_PS = fixtures.seeds[0].choice.map((c) => c.p);

/** Bit-identical comparison (Object.is), naming the first index that differs. */
function expectSameNumbers(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const bad = actual.findIndex((v, i) => !Object.is(v, expected[i]));
  expect(bad === -1 ? null : { what, index: bad, actual: actual[bad], expected: expected[bad] }).toBeNull();
}

function expectNumpyState(g: NumpyGenerator | PCG64, expected: NpState): void {
  const bitGen = g instanceof NumpyGenerator ? g.bitGenerator : g;
  const s = bitGen.getNumpyState();
  expect({
    state: s.state.state.toString(),
    inc: s.state.inc.toString(),
    has_uint32: s.has_uint32,
    uinteger: s.uinteger,
  }).toEqual(expected);
}

/** The seed as NumPy got it: a number where it is exactly representable, else a bigint. */
const seedsOf = (c: SeedCase): (number | bigint)[] => {
  const big = BigInt(c.seed);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? [Number(big), big] : [big];
};

const draw = (n: number, f: () => number): number[] => Array.from({ length: n }, f);

describe(`NumPy ${fixtures.numpy_version} parity`, () => {
  for (const c of fixtures.seeds) {
    describe(`seed ${c.seed}`, () => {
      it('SeedSequence: entropy words, pool and generate_state', () => {
        for (const seed of seedsOf(c)) {
          expect(Array.from(intToUint32Words(seed))).toEqual(c.entropy_words);
          const ss = new SeedSequence(seed);
          expect(ss.entropy).toBe(BigInt(c.entropy));
          expect(Array.from(ss.pool)).toEqual(c.pool);
          expect(Array.from(ss.generateState(8))).toEqual(c.generate_state_u32_8);
          expect(Array.from(ss.generateState(4, 'uint64'), String)).toEqual(c.generate_state_u64_4);
        }
      });

      it('PCG64: seeded state and raw 64-bit outputs', () => {
        for (const seed of seedsOf(c)) {
          const bg = new PCG64(seed);
          expectNumpyState(bg, c.initial_state);
          expect(Array.from({ length: c.raw.length }, () => bg.nextUint64().toString())).toEqual(c.raw);
        }
      });

      it('random() and uniform(-0.05, 0.05)', () => {
        const seed = BigInt(c.seed);
        const g = new NumpyGenerator(seed);
        expectSameNumbers(draw(c.random.length, () => g.random()), c.random, 'random');
        const u = new NumpyGenerator(seed);
        expectSameNumbers(draw(c.uniform.length, () => u.uniform(-0.05, 0.05)), c.uniform, 'uniform');
      });

      it('integers(low, high) for each range, including the uint32 buffer state', () => {
        for (const r of c.integers) {
          const g = new NumpyGenerator(BigInt(c.seed));
          const got = draw(r.values.length, () => g.integers(r.low, r.high));
          expectSameNumbers(got, r.values, `integers(${r.low}, ${r.high})`);
          expectNumpyState(g, r.after);
        }
      });

      it('standardNormal()', () => {
        const g = new NumpyGenerator(BigInt(c.seed));
        expectSameNumbers(draw(c.normal.length, () => g.standardNormal()), c.normal, 'standard_normal');
      });

      it('choiceIndex(p) matches choice(len(p), p=p)', () => {
        for (const { p, draws } of c.choice) {
          const g = new NumpyGenerator(BigInt(c.seed));
          expectSameNumbers(draw(draws.length, () => g.choiceIndex(p)), draws, `choice p=${p}`);
        }
      });

      it('an interleaved program of all draws stays in lockstep', () => {
        const g = new NumpyGenerator(BigInt(c.seed));
        c.ops.forEach((op, i) => {
          let v: number;
          if (op.op === 'integers') v = g.integers(op.low, op.high);
          else if (op.op === 'uniform') v = g.uniform(op.low, op.high);
          else if (op.op === 'choice') v = g.choiceIndex(CHOICE_PS[op.p]);
          else v = op.op === 'random' ? g.random() : g.standardNormal();
          if (!Object.is(v, op.value)) expect({ i, op, got: v }).toBeNull();
        });
        expectNumpyState(g, c.state_after_ops);
      });
    });
  }

  it('standardNormal() over a long stream: wedge and tail branches, hash, sum and final state', () => {
    const ref = fixtures.normal_long;
    const g = new NumpyGenerator(ref.seed);
    const view = new DataView(new ArrayBuffer(8));
    const mask = (1n << 64n) - 1n;
    let hash = 0n;
    let sum = 0;
    const tail: [number, number][] = [];
    for (let i = 0; i < ref.count; i++) {
      const x = g.standardNormal();
      view.setFloat64(0, x);
      hash = (hash * 1000003n + view.getBigUint64(0)) & mask;
      sum += x;
      if (Math.abs(x) > 3.6541528853610088) tail.push([i, x]);
    }
    expect(ref.tail.length).toBeGreaterThan(10);
    expect(tail).toEqual(ref.tail);
    expect(Object.is(sum, ref.sum)).toBe(true);
    expect(hash.toString()).toBe(ref.hash);
    expectNumpyState(g, ref.after);
  });
});

describe('npRandom (gymnasium.utils.seeding.np_random)', () => {
  it('returns the seed as a bigint and the same stream as NumpyGenerator', () => {
    const { rng, seed } = npRandom(42);
    expect(seed).toBe(42n);
    const ref = fixtures.seeds.find((c) => c.seed === '42');
    expectSameNumbers(draw(ref!.random.length, () => rng.random()), ref!.random, 'random');
    expect(npRandom(2n ** 100n).seed).toBe(2n ** 100n);
  });

  it('draws 128-bit OS entropy when no seed is given, and that entropy reproduces the run', () => {
    const a = npRandom();
    const b = npRandom(undefined);
    expect(typeof a.seed).toBe('bigint');
    expect(a.seed >= 0n && a.seed < 1n << 128n).toBe(true);
    expect(a.seed).not.toBe(b.seed);
    const again = npRandom(a.seed).rng;
    expectSameNumbers(draw(16, () => again.random()), draw(16, () => a.rng.random()), 'replay');
    expect(new SeedSequence().entropy).not.toBe(new SeedSequence().entropy);
  });

  it.each([
    [-1, 'Seed must be a non-negative integer, got -1'],
    [-1.5, 'Seed must be a non-negative integer, got -1.5'],
    [1.5, 'Seed must be a non-negative integer, got 1.5'],
    [Number.NaN, 'Seed must be a non-negative integer, got NaN'],
    [Number.POSITIVE_INFINITY, 'Seed must be a non-negative integer, got Infinity'],
    [-3n, 'Seed must be a non-negative integer, got -3'],
    ['42', 'Seed must be a non-negative integer, got "42"'],
    [true, 'Seed must be a non-negative integer, got true'],
    [{}, 'Seed must be a non-negative integer, got an object'],
  ])('rejects %s', (bad, message) => {
    expect(() => npRandom(bad as number)).toThrow(new Error(message));
  });
});

describe('state snapshots', () => {
  /** Leaves a buffered uint32 pending, so snapshots must carry it. */
  function midStream(): NumpyGenerator {
    const g = new NumpyGenerator(2024);
    g.random();
    g.integers(0, 4);
    expect(g.getState().hasUint32).toBe(1);
    return g;
  }
  const mixed = (g: NumpyGenerator): number[] => [
    g.integers(0, 4), g.random(), g.integers(0, 500), g.standardNormal(), g.integers(-5, 5),
    g.uniform(-1, 1), g.choiceIndex([0.2, 0.3, 0.5]), g.integers(0, 2 ** 40),
  ];

  it('getState/setState round-trips, buffered uint32 included', () => {
    const g = midStream();
    const snap = g.getState();
    const first = mixed(g);
    g.setState(snap);
    expectSameNumbers(mixed(g), first, 'after setState');
    // A snapshot is plain data: it survives structuredClone and JSON, and is not aliased.
    const viaJson = JSON.parse(JSON.stringify(snap)) as PCG64State;
    const other = new NumpyGenerator(1);
    other.setState(viaJson);
    expectSameNumbers(mixed(other), first, 'from JSON');
    other.setState(structuredClone(snap));
    expectSameNumbers(mixed(other), first, 'from structuredClone');
    expect(PCG64.fromState(snap).getState()).toEqual(snap);
  });

  it('clone() continues identically and independently', () => {
    const g = midStream();
    const c = g.clone();
    const fromClone = mixed(c);
    mixed(c); // moving the clone on must not move the original
    expectSameNumbers(mixed(g), fromClone, 'original after clone');
    expect(c.getState()).not.toEqual(g.getState());
  });

  it('setNumpyState accepts NumPy state dicts', () => {
    const c = fixtures.seeds[2];
    const bg = PCG64.fromState(new PCG64(0).getState());
    bg.setNumpyState({
      bit_generator: 'PCG64',
      state: { state: BigInt(c.initial_state.state), inc: BigInt(c.initial_state.inc) },
      has_uint32: 0,
      uinteger: 0,
    });
    expect(Array.from({ length: 3 }, () => bg.nextUint64().toString())).toEqual(c.raw.slice(0, 3));
  });

  it('rejects malformed snapshots', () => {
    const g = new NumpyGenerator(0);
    const good = g.getState();
    expect(() => g.setState({ ...good, inc: [2, 0, 0, 0] })).toThrow(/odd/);
    expect(() => g.setState({ ...good, state: [1, 2, 3] })).toThrow(/4 limbs/);
    expect(() => g.setState({ ...good, uinteger: 2 ** 32 })).toThrow(/uinteger/);
    expect(() => g.setState({ ...good, bitGenerator: 'MT19937' as 'PCG64' })).toThrow(/PCG64/);
    expect(g.getState()).toEqual(good);
  });
});

describe('argument checks mirror NumPy', () => {
  const g = new NumpyGenerator(0);
  it('integers', () => {
    expect(() => g.integers(0)).toThrow('high <= 0');
    expect(() => g.integers(0, -1)).toThrow('high <= 0');
    expect(() => g.integers(5, 5)).toThrow('low >= high');
    expect(() => g.integers(0, 2.5)).toThrow(/safe integers/);
    expect(() => g.integers(0, 2 ** 60)).toThrow(/safe integers/);
    expect(g.integers(7, 8)).toBe(7);
    const one = new NumpyGenerator(0);
    const two = new NumpyGenerator(0);
    expect(one.integers(6)).toBe(two.integers(0, 6));
  });
  it('uniform', () => {
    expect(() => g.uniform(1, 0)).toThrow('high - low < 0');
    expect(() => g.uniform(0, Number.POSITIVE_INFINITY)).toThrow('high - low range exceeds valid bounds');
    expect(() => g.uniform(-1e308, 1e308)).toThrow('high - low range exceeds valid bounds');
    expect(() => g.normal(0, -1)).toThrow('scale < 0');
  });
  it('choiceIndex', () => {
    expect(() => g.choiceIndex([])).toThrow(/positive integer/);
    expect(() => g.choiceIndex([0.5, 0.6])).toThrow(/do not sum to 1/);
    expect(() => g.choiceIndex([-0.1, 1.1])).toThrow('Probabilities are not non-negative');
    expect(() => g.choiceIndex([Number.NaN, 1])).toThrow('Probabilities contain NaN');
    expect(() => g.choiceIndex([0, 0])).toThrow(/do not sum to 1/);
    expect(g.choiceIndex(new Float32Array([0.1, 0.2, 0.7]))).toBeLessThan(3);
  });
  it('normal(loc, scale) is loc + scale * standardNormal()', () => {
    const a = new NumpyGenerator(3);
    const b = new NumpyGenerator(3);
    expect(Object.is(a.normal(1.5, 2), 1.5 + 2 * b.standardNormal())).toBe(true);
  });
});
