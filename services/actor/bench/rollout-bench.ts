#!/usr/bin/env node
// Actor rollout throughput: the pooled, shared-memory vector env (PooledVectorEnv) against the envs
// package's own vector env stepped on the main thread, both with the same @reverie/policy MLP per step.
// Build and run: npx tsc -b services/actor/bench && node services/actor/bench/dist/rollout-bench.js
import os from 'node:os';
import { parseArgs } from 'node:util';
import { makeVec } from '@reverie/envs';
import { PooledVectorEnv } from '@reverie/actor';
import { npRandom } from '@reverie/core';
import { createPolicy, type Policy } from '@reverie/policy';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    'min-seconds': { type: 'string', default: '0.3' },
    envs: { type: 'string', default: '64,256,1024' },
    workers: { type: 'string', default: '1,2' },
  },
});
const reps = positiveInt('reps', values.reps);
const minSeconds = Number(values['min-seconds']);
const envCounts = values.envs.split(',').map((v) => positiveInt('envs', v));
const workerCounts = values.workers.split(',').map((v) => positiveInt('workers', v));

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name}: expected positive integers, got '${v}'`);
  return n;
}

interface Case {
  name: string;
  /** One vector step (of `n` envs). */
  step: () => unknown;
}

/** Env-steps/s of one rep: `step` repeated for at least minSeconds. */
async function rep(n: number, step: () => unknown): Promise<number> {
  let steps = 0;
  let elapsed = 0;
  const start = performance.now();
  while (elapsed < minSeconds * 1000) {
    for (let k = 0; k < 16; k++) await step();
    steps += 16;
    elapsed = performance.now() - start;
  }
  return (steps * n) / (elapsed / 1000);
}

/**
 * Median env-steps/s of each case. The cases' reps are interleaved (A B C, A B C, ...) so that load
 * from other processes during the run hits every case alike; the first round is a warm-up.
 */
async function measure(n: number, cases: Case[]): Promise<Map<string, number>> {
  const rates = cases.map(() => [] as number[]);
  for (let r = -1; r < reps; r++) {
    for (const [i, c] of cases.entries()) {
      const rate = await rep(n, c.step);
      if (r >= 0) rates[i].push(rate);
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return new Map(cases.map((c, i) => [c.name, median(rates[i])]));
}

type Acting = Pick<Policy, 'act'>;
const noPolicy: Acting = { act: () => {} };

/** The Q-network both sides run: tanh MLP 4 → 64 → 64 → 2 with seeded uniform weights. */
function benchPolicy(): Policy {
  const rng = npRandom(0).rng;
  const sizes = [4, 64, 64, 2];
  const tensors: Record<string, Float32Array> = {};
  for (let l = 0; l + 1 < sizes.length; l++) {
    const scale = 1 / Math.sqrt(sizes[l]);
    tensors[`l${l}.weight`] = Float32Array.from({ length: sizes[l] * sizes[l + 1] }, () => rng.uniform(-scale, scale));
    tensors[`l${l}.bias`] = new Float32Array(sizes[l + 1]);
  }
  return createPolicy({ kind: 'mlp-q', obsShape: [4], numActions: 2, hidden: [64, 64], activation: 'tanh' }, tensors);
}

function rawCase(name: string, n: number, policy: Acting): Case {
  const vec = makeVec('CartPole-v1', n);
  vec.reset({ seed: 0 });
  const actions = new Int32Array(n);
  return {
    name,
    step: () => {
      policy.act(vec.observations, n, actions);
      vec.step(actions);
    },
  };
}

function pooledCase(name: string, venv: PooledVectorEnv, policy: Acting, blocking: boolean): Case {
  const n = venv.numEnvs;
  const actions = venv.actions;
  if (!(actions instanceof Int32Array)) throw new Error('CartPole-v1 should take int32 actions');
  return {
    name,
    step: () => {
      policy.act(venv.observations, n, actions);
      return blocking ? venv.stepBlocking() : venv.step();
    },
  };
}

const mlp = benchPolicy();
const fmt = (v: number) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(1)} k`);
const rows: Record<string, string | number>[] = [];
console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), load ${os.loadavg()[0].toFixed(2)}; reps ${reps} × ≥ ${minSeconds} s, medians`);
for (const n of envCounts) {
  for (const w of workerCounts.filter((w) => w <= n)) {
    const venv = await PooledVectorEnv.create({ envId: 'CartPole-v1', numEnvs: n, workers: w, seed: 0 });
    const m = await measure(n, [
      rawCase('raw', n, mlp),
      pooledCase('pooled', venv, mlp, false),
      pooledCase('pooledBlocking', venv, mlp, true),
      rawCase('rawEnv', n, noPolicy),
      pooledCase('pooledEnv', venv, noPolicy, false),
      pooledCase('pooledEnvBlocking', venv, noPolicy, true),
    ]);
    await venv.close();
    const get = (name: string) => m.get(name) ?? NaN;
    rows.push({
      N: n,
      W: w,
      'raw + MLP': fmt(get('raw')),
      'pooled + MLP (waitAsync)': fmt(get('pooled')),
      ratio: (get('pooled') / get('raw')).toFixed(2),
      'pooled + MLP (Atomics.wait)': fmt(get('pooledBlocking')),
      'raw, env only': fmt(get('rawEnv')),
      'pooled, env only (waitAsync)': fmt(get('pooledEnv')),
      'pooled, env only (Atomics.wait)': fmt(get('pooledEnvBlocking')),
    });
    console.table(rows.slice(-1));
  }
}
console.log('\nall (env-steps/s):');
console.table(rows);
