import { Writable } from 'node:stream';
import { createLogger } from '@reverie/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTensor, GrpcStatus, type LearnerServiceClient, type TrajectoryChunk } from '@reverie/transport';
import { SequenceSet, startLearner, type RunningLearner } from '../src/index.js';
import { ChunkCollector, getStatus, learnerClient, pushStream } from './helpers.js';

describe('SequenceSet', () => {
  it('keeps a contiguous floor plus the few numbers above it', () => {
    const s = new SequenceSet();
    expect([0, 1, 3, 4].map((n) => s.add(n))).toEqual([true, true, true, true]);
    expect(s.state()).toEqual({ floor: 2, above: [3, 4] });
    expect(s.add(3)).toBe(false);
    expect(s.add(2)).toBe(true);
    expect(s.state()).toEqual({ floor: 5, above: [] });
    expect(s.has(4) && !s.has(5)).toBe(true);
    expect(SequenceSet.from({ floor: 7, above: [9] }).has(8)).toBe(false);
  });
});

describe('LearnerService.PushTrajectories over gRPC', () => {
  let running: RunningLearner;
  let client: LearnerServiceClient;
  const T = 8;
  const N = 4;

  beforeAll(async () => {
    // learningStarts above anything pushed here: this file is about intake, not training.
    running = await startLearner({ grpcPort: 0, learningStarts: 1_000_000, logLevel: 'silent', hidden: [8] });
    client = learnerClient(running.address);
  });
  afterAll(async () => {
    client.close();
    await running.close({ checkpoint: false });
  });

  it('stores pushed chunks, acks each in order, and drops duplicates', async () => {
    const actor = new ChunkCollector('CartPole-v1', N, T, 1, 'dedup-actor');
    const chunks = [actor.collect(), actor.collect(), actor.collect()];
    const before = (await getStatus(client)).envSteps;
    const first = await pushStream(client, chunks);
    expect(first.error).toBeUndefined();
    expect(first.acks.map((a) => [a.sequence, a.duplicate])).toEqual([[0, false], [1, false], [2, false]]);
    expect((await getStatus(client)).envSteps - before).toBe(3 * T * N);

    // A resend after a reconnect: 1 and 2 again, then the new 3.
    const again = await pushStream(client, [chunks[1], chunks[2], actor.collect()]);
    expect(again.acks.map((a) => [a.sequence, a.duplicate])).toEqual([[1, true], [2, true], [3, false]]);
    const status = await getStatus(client);
    expect(status.envSteps - before).toBe(4 * T * N);
    expect(again.acks[2].replaySize).toBe(status.replaySize);
    expect(running.learner.ingest.dedup.state()['dedup-actor']).toEqual({ floor: 4, above: [] });
  });

  it('answers bad chunks with INVALID_ARGUMENT naming the field and keeps serving', async () => {
    const actor = new ChunkCollector('CartPole-v1', N, T, 2, 'bad-actor');
    const good = actor.collect();
    const o = 4;
    const nan = new Float32Array(T * N);
    nan[5] = Number.NaN;
    const cases: [string, TrajectoryChunk, RegExp][] = [
      ['wrong shape', { ...good, observations: encodeTensor(new Float32Array(T * N * 3), [T, N, 3]) }, /observations: expected shape \[8, 4, 4\], got \[8, 4, 3\]/],
      ['NaN reward', { ...good, rewards: encodeTensor(nan, [T, N]) }, /rewards: element 5 is NaN/],
      ['wrong dtype', { ...good, actions: encodeTensor(new Float32Array(T * N), [T, N]) }, /actions: expected int32, got DTYPE_FLOAT32/],
      ['action out of range', { ...good, actions: encodeTensor(new Int32Array(T * N).fill(2), [T, N]) }, /actions: element 0 is 2, outside Discrete\(2\)/],
      ['other env', { ...good, envId: 'Acrobot-v1' }, /env_id: this learner trains on CartPole-v1/],
      ['Infinity in next obs', { ...good, nextObservations: encodeTensor(new Float32Array(T * N * o).fill(Infinity), [T, N, o]) }, /next_observations: element 0 is Infinity/],
      ['inconsistent sizes', { ...good, numEnvs: N + 1 }, /observations: expected shape \[8, 5, 4\]/],
    ];
    const before = await getStatus(client);
    for (const [what, chunk, message] of cases) {
      const res = await pushStream(client, [chunk]);
      expect(res.error?.code, what).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(res.error?.details, what).toMatch(message);
    }
    // The chunks before a bad one are acknowledged; nothing bad was stored; the server goes on.
    const bad = cases[0][1];
    const mixed = await pushStream(client, [good, bad, actor.collect()]);
    expect(mixed.acks.map((a) => a.sequence)).toEqual([0]);
    expect(mixed.error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect((await getStatus(client)).envSteps - before.envSteps).toBe(T * N);
    const metrics = await (await fetch(running.metricsUrl)).text();
    expect(metrics).toMatch(/reverie_learner_chunks_total\{result="rejected"[^}]*\} 8/);
  });

  it('holds many chunks in flight on one stream with back-pressure and acks all of them in order', async () => {
    const actor = new ChunkCollector('CartPole-v1', N, T, 3, 'busy-actor');
    const chunks = Array.from({ length: 40 }, () => actor.collect());
    const res = await pushStream(client, chunks);
    expect(res.error).toBeUndefined();
    expect(res.acks.map((a) => a.sequence)).toEqual(chunks.map((_, i) => i));
  });
});

describe('LearnerService with a bearer token', () => {
  it('refuses callers without the token, and logs its config with the token masked', async () => {
    let logged = '';
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logged += chunk.toString();
        cb();
      },
    });
    const running = await startLearner(
      { grpcPort: 0, learningStarts: 1_000_000, hidden: [8], token: 's3cret' },
      { logger: createLogger({ service: 'learner', level: 'info', destination }) },
    );
    const configLine = logged.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; config?: Record<string, unknown> }).find((l) => l.msg === 'config');
    expect(configLine?.config).toMatchObject({ algo: 'dqn', env: 'CartPole-v1', hidden: [8], token: '(set)', modelServerToken: '' });
    expect(logged).not.toContain('s3cret');
    const anonymous = learnerClient(running.address);
    const actor = new ChunkCollector('CartPole-v1', 2, 4, 4);
    const res = await pushStream(anonymous, [actor.collect()]);
    expect(res.error?.code).toBe(GrpcStatus.UNAUTHENTICATED);
    const { bearerMetadata } = await import('@reverie/transport');
    const ok = await new Promise<number>((resolve, reject) => {
      const call = anonymous.PushTrajectories(bearerMetadata('s3cret'));
      call.on('data', (a: { sequence: number }) => resolve(a.sequence));
      call.on('error', reject);
      call.write(new ChunkCollector('CartPole-v1', 2, 4, 4, 'authorized').collect());
      call.end();
    });
    expect(ok).toBe(0);
    anonymous.close();
    await running.close({ checkpoint: false });
  });
});
