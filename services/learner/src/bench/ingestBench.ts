/**
 * Trajectory ingest throughput: CartPole chunks of 32 steps × 64 envs, stored in process (bare
 * TrajectoryIngest) and over gRPC on loopback (one PushTrajectories stream), each without and with
 * the write-ahead log. Training is off (learning never starts) so only intake is measured.
 *
 *   npx tsc -b services/learner && node services/learner/dist/bench/ingestBench.js [chunks]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npRandom } from '@reverie/core';
import { makeVec } from '@reverie/envs';
import { initBackend } from '@reverie/nn';
import { createMetricsRegistry } from '@reverie/telemetry';
import { createClient, encodeTensor, type PushAck__Output, type TrajectoryChunk } from '@reverie/transport';
import { DqnAlgorithm, DQN_DEFAULTS } from '../algo/dqn.js';
import { TrajectoryIngest } from '../ingest/trajectoryIngest.js';
import { WriteAheadLog } from '../ingest/wal.js';
import { LearnerMetrics } from '../metrics.js';
import { startLearner } from '../start.js';

const T = 32;
const N = 64;
const O = 4;
const SPEC = { envId: 'CartPole-v1', obsSize: O, numActions: 2, maxSteps: 1 << 16 };

/** One chunk of random-policy CartPole steps; sequences are set per push. */
function makeChunk(): TrajectoryChunk {
  const vec = makeVec('CartPole-v1', N, { autoreset: 'same-step' });
  vec.reset({ seed: 0 });
  const rng = npRandom(0).rng;
  const obs = new Float32Array(T * N * O);
  const next = new Float32Array(T * N * O);
  const actions = new Int32Array(T * N);
  const rewards = new Float32Array(T * N);
  const terminated = new Uint8Array(T * N);
  const truncated = new Uint8Array(T * N);
  for (let t = 0; t < T; t++) {
    obs.set(vec.observations, t * N * O);
    for (let i = 0; i < N; i++) actions[t * N + i] = rng.integers(0, 2);
    vec.step(actions.subarray(t * N, (t + 1) * N));
    next.set(vec.observations, t * N * O);
    for (let i = 0; i < N; i++) {
      rewards[t * N + i] = vec.rewards[i];
      terminated[t * N + i] = vec.terminated[i];
      truncated[t * N + i] = vec.truncated[i];
      if (vec.hasFinal[i]) next.set(vec.finalObservations.subarray(i * O, (i + 1) * O), (t * N + i) * O);
    }
  }
  return {
    actorId: 'bench', envId: 'CartPole-v1', numEnvs: N, numSteps: T, policyVersion: 0, latestVersion: 0,
    observations: encodeTensor(obs, [T, N, O]), nextObservations: encodeTensor(next, [T, N, O]),
    actions: encodeTensor(actions, [T, N]), rewards: encodeTensor(rewards, [T, N]),
    terminated: encodeTensor(terminated, [T, N], 'bool'), truncated: encodeTensor(truncated, [T, N], 'bool'),
  };
}

async function inProcess(chunk: TrajectoryChunk, chunks: number, walDir?: string): Promise<number> {
  const metrics = new LearnerMetrics(createMetricsRegistry({ service: 'bench', collectDefault: false }));
  const algorithm = new DqnAlgorithm(SPEC, { ...DQN_DEFAULTS, learningStarts: Number.MAX_SAFE_INTEGER });
  const wal = walDir === undefined ? undefined : (await WriteAheadLog.open(walDir, 0)).wal;
  const ingest = new TrajectoryIngest({ spec: SPEC, algorithm, metrics, wal, publishedVersion: () => 0 });
  const started = performance.now();
  // Eight chunks in flight at a time, as a windowed sender would keep them.
  const inFlight: Promise<PushAck__Output>[] = [];
  for (let s = 0; s < chunks; s++) {
    inFlight.push(ingest.push({ ...chunk, sequence: s }));
    if (inFlight.length === 8) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  await wal?.close();
  algorithm.dispose();
  return (chunks * T * N) / seconds;
}

async function overGrpc(chunk: TrajectoryChunk, chunks: number, checkpointDir: string): Promise<number> {
  const running = await startLearner({ grpcPort: 0, logLevel: 'warn', learningStarts: Number.MAX_SAFE_INTEGER, checkpointDir });
  const client = createClient('LearnerService', running.address);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const call = client.PushTrajectories();
    let acked = 0;
    call.on('data', () => {
      if (++acked === chunks) call.end();
    });
    call.on('error', reject);
    call.on('end', () => resolve());
    void (async () => {
      for (let s = 0; s < chunks; s++) {
        if (!call.write({ ...chunk, sequence: s })) await new Promise((r) => call.once('drain', r));
      }
    })();
  });
  const seconds = (performance.now() - started) / 1000;
  client.close();
  await running.close({ checkpoint: false });
  return (chunks * T * N) / seconds;
}

async function main(): Promise<void> {
  const chunks = Number(process.argv[2] ?? 200);
  await initBackend();
  const chunk = makeChunk();
  const dir = mkdtempSync(join(tmpdir(), 'reverie-ingest-bench-'));
  try {
    const rows: [string, number][] = [
      ['in-process, no log', await inProcess(chunk, chunks)],
      ['in-process, write-ahead log', await inProcess(chunk, chunks, join(dir, 'wal-only'))],
      ['gRPC loopback, no log', await overGrpc(chunk, chunks, '')],
      ['gRPC loopback, write-ahead log', await overGrpc(chunk, chunks, join(dir, 'grpc'))],
    ];
    process.stdout.write(`chunks of ${T} steps × ${N} envs (CartPole-v1), ${chunks} chunks per run\n`);
    for (const [what, rate] of rows) process.stdout.write(`${what.padEnd(32)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} env steps/s\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
