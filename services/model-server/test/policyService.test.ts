import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '@reverie/core';
import {
  decodeTensor,
  encodeTensor,
  GrpcStatus,
  type ActRequest,
  type ActResponse__Output,
  type PolicyServiceClient,
} from '@reverie/transport';
import { defaultModelServerConfig, GrpcWeightsPublisher, startModelServer, type ModelServerHandle } from '../src/index.js';
import { act, policyClient, rejection } from './grpcClient.js';
import { signPolicy, tempDir } from './helpers.js';

const obs = (...rows: number[][]): ActRequest['observation'] =>
  encodeTensor(Float32Array.from(rows.flat()), rows.length === 1 ? [4] : [rows.length, 4]);

const actions = (res: ActResponse__Output): number[] => Array.from(decodeTensor(res.action, { name: 'action', dtype: 'int32' }).array);

async function metricValue(server: ModelServerHandle, name: string, labels: Record<string, string | number> = {}): Promise<number> {
  const m = await server.metricsRegistry.getSingleMetric(name)!.get();
  const match = m.values.filter((v) => Object.entries(labels).every(([k, x]) => String(v.labels[k]) === String(x)));
  return match.reduce((s, v) => s + v.value, 0);
}

describe('PolicyService', () => {
  let server: ModelServerHandle;
  let client: PolicyServiceClient;
  beforeAll(async () => {
    server = await startModelServer(
      defaultModelServerConfig({ grpcPort: 0, metricsPort: 0, storeDir: tempDir(), logLevel: 'warn', maxObservationBytes: 4096, maxMessageBytes: 64 * 1024, defaultPolicy: 'cartpole' }),
    );
    client = policyClient(server.address);
    await server.registry.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(0));
    const worldModel = encodeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array(2) } });
    await server.registry.publish({ policy: 'world', algo: 'world-model' }, worldModel);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  it('answers with the greedy action of the newest version, one row or a batch, with value and probs', async () => {
    const one = await act(client, { policy: 'cartpole', observation: obs([0.5, 0, 0, 0]), requestId: 42 });
    expect(one).toMatchObject({ version: 1, requestId: 42, action: { shape: [] } });
    expect(actions(one)).toEqual([1]);
    const batch = await act(client, { policy: 'cartpole', observation: obs([0.5, 1, 1, 1], [-0.25, 0, 0, 0], [2, 0, 0, 0]), wantValue: true, wantProbs: true });
    expect(actions(batch)).toEqual([1, 0, 1]);
    expect(Array.from(decodeTensor(batch.value, { name: 'v', dtype: 'float32', shape: [3] }).array)).toEqual([0.5, 0.25, 2]);
    const probs = decodeTensor(batch.probs, { name: 'p', dtype: 'float32', shape: [3, 2] }).array;
    expect(probs[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(probs[2]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 6);
  });

  it('batches concurrent requests into fewer policy evaluations', async () => {
    // the +Inf bucket of the histogram counts policy evaluations
    const countBefore = await metricValue(server, 'reverie_policy_batch_size', { le: '+Inf' });
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => act(client, { observation: obs([i % 2 === 0 ? 1 : -1, 0, 0, 0]) })),
    );
    replies.forEach((r, i) => expect(actions(r)).toEqual([i % 2 === 0 ? 1 : 0]));
    const batches = (await metricValue(server, 'reverie_policy_batch_size', { le: '+Inf' })) - countBefore;
    expect(countBefore).toBeGreaterThan(0);
    expect(batches).toBeLessThan(200);
    expect(await metricValue(server, 'reverie_policy_requests_total', { method: 'unary' })).toBeGreaterThanOrEqual(202);
  });

  it('pins a version on request and swaps to a new one for everybody else', async () => {
    // bias 10 favours action 0 unless x0 > 5
    await server.registry.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(10));
    const newest = await act(client, { observation: obs([0.5, 0, 0, 0]) });
    expect({ version: newest.version, action: actions(newest) }).toEqual({ version: 2, action: [0] });
    const pinned = await act(client, { version: 1, observation: obs([0.5, 0, 0, 0]) });
    expect({ version: pinned.version, action: actions(pinned) }).toEqual({ version: 1, action: [1] });
  });

  it('matches ActStream responses by request_id', async () => {
    const call = client.ActStream();
    const got = new Map<number, ActResponse__Output>();
    const done = new Promise<void>((resolve, reject) => {
      call.on('data', (r: ActResponse__Output) => got.set(r.requestId, r));
      call.on('end', resolve);
      call.on('error', reject);
    });
    for (let i = 1; i <= 50; i++) call.write({ requestId: i, version: i % 2 === 0 ? 1 : 0, observation: obs([1, 0, 0, 0]) });
    call.end();
    await done;
    expect(got.size).toBe(50);
    for (const [id, r] of got) expect({ version: r.version, action: actions(r) }).toEqual(id % 2 === 0 ? { version: 1, action: [1] } : { version: 2, action: [0] });
  });

  it('refuses each kind of bad input with its status, counts it, and keeps serving', async () => {
    const cases: [ActRequest, number, RegExp, string][] = [
      [{ observation: encodeTensor(new Float32Array(3), [3]) }, GrpcStatus.INVALID_ARGUMENT, /expects shape \[4\] or \[B, 4\], got \[3\]/, 'INVALID_ARGUMENT'],
      [{ observation: encodeTensor(new Int32Array(4), [4]) }, GrpcStatus.INVALID_ARGUMENT, /expected float32, got DTYPE_INT32 \[4\]/, 'INVALID_ARGUMENT'],
      [{ observation: obs([0, 1, Number.NaN, 0]) }, GrpcStatus.INVALID_ARGUMENT, /observation: element 2 is NaN/, 'INVALID_ARGUMENT'],
      [{ observation: { dtype: 'DTYPE_FLOAT32', shape: [4], data: new Uint8Array(12) } }, GrpcStatus.INVALID_ARGUMENT, /needs 16 bytes, got 12/, 'INVALID_ARGUMENT'],
      [{ policy: 'nope', observation: obs([0, 0, 0, 0]) }, GrpcStatus.NOT_FOUND, /unknown policy "nope" \(known: cartpole, world\)/, 'NOT_FOUND'],
      [{ policy: 'world', observation: obs([0, 0, 0, 0]) }, GrpcStatus.FAILED_PRECONDITION, /version 1 of "world" \(algo "world-model"\) is not a policy file/, 'FAILED_PRECONDITION'],
      [{ version: 99, observation: obs([0, 0, 0, 0]) }, GrpcStatus.NOT_FOUND, /no version 99 of policy "cartpole"/, 'NOT_FOUND'],
      [{ observation: encodeTensor(new Float32Array(2000), [500, 4]) }, GrpcStatus.RESOURCE_EXHAUSTED, /exceeds the server's limit of 4096 bytes/, 'RESOURCE_EXHAUSTED'],
    ];
    for (const [req, code, message, name] of cases) {
      const before = await metricValue(server, 'reverie_grpc_errors_total', { method: 'Act', code: name });
      const err = await rejection(act(client, req));
      expect({ code: err.code, details: err.details }).toEqual({ code, details: expect.stringMatching(message) });
      expect(await metricValue(server, 'reverie_grpc_errors_total', { method: 'Act', code: name })).toBe(before + 1);
    }
    // beyond the gRPC message limit grpc-js itself refuses the call
    const huge = await rejection(act(client, { observation: encodeTensor(new Float32Array(40_000), [10_000, 4]) }));
    expect(huge.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    // a bad request on a stream ends that stream with its status
    const call = client.ActStream();
    const streamErr = await new Promise<{ code: number }>((resolve) => {
      call.on('error', resolve);
      call.on('data', () => undefined);
      call.write({ requestId: 1, observation: obs([Number.POSITIVE_INFINITY, 0, 0, 0]) });
    });
    expect(streamErr.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(await metricValue(server, 'reverie_grpc_errors_total', { method: 'ActStream', code: 'INVALID_ARGUMENT' })).toBe(1);
    expect(actions(await act(client, { observation: obs([-1, 0, 0, 0]) }))).toEqual([0]);
  });

  it('answers UNAVAILABLE while the default policy has no version yet', async () => {
    const empty = await startModelServer(
      defaultModelServerConfig({ grpcPort: 0, metricsPort: 0, storeDir: tempDir(), logLevel: 'warn', defaultPolicy: 'later' }),
    );
    const c = policyClient(empty.address);
    try {
      const err = await rejection(act(c, { observation: obs([0, 0, 0, 0]) }));
      expect({ code: err.code, details: err.details }).toEqual({ code: GrpcStatus.UNAVAILABLE, details: 'no version of policy "later" has been published yet' });
      await empty.registry.publish({ policy: 'later', algo: 'mlp-q' }, signPolicy(0));
      expect((await act(c, { observation: obs([1, 0, 0, 0]) })).version).toBe(1);
    } finally {
      c.close();
      await empty.close();
    }
  });
});

describe('hot swap under load', () => {
  it('16 clients hammering Act while 5 versions are published: no failure, versions never go back', async () => {
    const server = await startModelServer(defaultModelServerConfig({ grpcPort: 0, metricsPort: 0, storeDir: tempDir(), logLevel: 'warn' }));
    await server.registry.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(0));
    const publisher = new GrpcWeightsPublisher(server.address);
    const clients = Array.from({ length: 16 }, () => policyClient(server.address));
    let publishing = true;
    const failures: unknown[] = [];
    const seen: number[][] = clients.map(() => []);
    const hammer = clients.map(async (c, i) => {
      while (publishing || seen[i].length < 20) {
        try {
          seen[i].push((await act(c, { observation: obs([1, 0, 0, 0]) })).version);
        } catch (err) {
          failures.push(err);
        }
      }
    });
    try {
      for (let v = 0; v < 5; v++) {
        await new Promise((r) => setTimeout(r, 40));
        await publisher.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(v + 1));
      }
      await new Promise((r) => setTimeout(r, 40));
    } finally {
      publishing = false;
      await Promise.all(hammer);
      clients.forEach((c) => c.close());
      publisher.close();
      await server.close();
    }
    expect(failures).toEqual([]);
    for (const versions of seen) {
      expect(versions.every((v, k) => k === 0 || v >= versions[k - 1])).toBe(true);
      expect(versions[versions.length - 1]).toBe(6);
    }
    expect(new Set(seen.flat())).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });
});
