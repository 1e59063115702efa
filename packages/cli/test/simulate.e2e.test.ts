import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npRandom } from '@reverie/core';
import { make } from '@reverie/envs';
import { defaultModelServerConfig, startModelServer, type ModelServerHandle } from '@reverie/model-server';
import { createPolicy, encodePolicyWeights, expectedTensors, type MlpQSpec, type Policy } from '@reverie/policy';
import {
  decodeTensor,
  encodeTensor,
  GrpcStatus,
  hasBearerToken,
  reverieV1,
  rpcError,
  startGrpcServer,
  type ActRequest__Output,
  type ActResponse,
  type PolicyServiceHandlers,
  type RunningServer,
} from '@reverie/transport';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bufferIO } from '../src/io.js';
import { runCli } from '../src/program.js';
import type { SimulateReport } from '../src/commands/simulate-report.js';

const SPEC: MlpQSpec = { kind: 'mlp-q', obsShape: [4], numActions: 2, hidden: [8], activation: 'relu' };
const TOKEN = 'sim-secret';

/** Seeded weights for a tiny CartPole Q-network. */
function fixedTensors(seed: number): Record<string, Float32Array> {
  const { rng } = npRandom(seed);
  const tensors: Record<string, Float32Array> = {};
  for (const [name, shape] of expectedTensors(SPEC)) {
    tensors[name] = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1));
  }
  return tensors;
}

/** A fixed CartPole Q-network: the test's stand-in for the model-server's newest weights. */
function fixedPolicy(seed = 7): Policy {
  return createPolicy(SPEC, fixedTensors(seed));
}

/** The same policy acting on the same episodes in this process: the returns simulate must reproduce. */
function localReturns(policy: Policy, episodes: number, seed: number): number[] {
  const env = make('CartPole-v1');
  const obs = new Float32Array(4);
  const action = new Int32Array(1);
  const returns: number[] = [];
  for (let ep = 0; ep < episodes; ep++) {
    env.reset({ seed: seed + ep });
    let ret = 0;
    for (let done = false; !done; ) {
      env.writeObservation(obs, 0);
      policy.act(obs, 1, action);
      const step = env.step(action[0]);
      ret += step.reward;
      done = step.terminated || step.truncated;
    }
    returns.push(ret);
  }
  return returns;
}

/** Version 1 answers the first 40 calls, version 2 the rest; a pinned version answers as itself. */
class FakeModelServer {
  calls = 0;
  failNext = 0;
  requireToken = false;
  constructor(private readonly policy: Policy) {}

  answer(req: ActRequest__Output): ActResponse {
    const obs = decodeTensor(req.observation, { name: 'observation', dtype: 'float32', shape: [4] }).array;
    const action = new Int32Array(1);
    this.policy.act(obs, 1, action);
    this.calls++;
    const version = req.version !== 0 ? req.version : this.calls <= 40 ? 1 : 2;
    return { action: encodeTensor(action, []), version, requestId: req.requestId };
  }

  handlers(): PolicyServiceHandlers {
    return {
      Act: (call, callback) => {
        if (this.requireToken && !hasBearerToken(call.metadata, TOKEN)) return callback(rpcError(GrpcStatus.UNAUTHENTICATED, 'missing or wrong bearer token'));
        if (this.failNext > 0) {
          this.failNext--;
          return callback(rpcError(GrpcStatus.UNAVAILABLE, 'swapping weights, try again'));
        }
        callback(null, this.answer(call.request));
      },
      ActStream: (call) => {
        call.on('data', (req: ActRequest__Output) => call.write(this.answer(req)));
        call.on('end', () => call.end());
      },
    };
  }
}

describe('reverie simulate', () => {
  const policy = fixedPolicy();
  const fake = new FakeModelServer(policy);
  let server: RunningServer;
  const dirs: string[] = [];

  beforeAll(async () => {
    const binding = { name: 'reverie.v1.PolicyService', definition: reverieV1().PolicyService.service, implementation: fake.handlers() };
    server = await startGrpcServer({ services: [binding] });
  });
  afterAll(async () => {
    await server.close(100);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.calls = 0;
    fake.failNext = 0;
    fake.requireToken = false;
  });

  async function simulate(args: string[]): Promise<{ code: number; report: SimulateReport | null; io: ReturnType<typeof bufferIO> }> {
    const out = await mkdtemp(join(tmpdir(), 'reverie-simulate-'));
    dirs.push(out);
    const io = bufferIO();
    const code = await runCli(['simulate', '--target', server.address, '--out', out, ...args], io);
    const text = await readFile(join(out, 'report.json'), 'utf8').catch(() => null);
    return { code, report: text === null ? null : (JSON.parse(text) as SimulateReport), io };
  }

  it('acts through unary Act: the returns of the same policy run locally, versions seen, latency percentiles', async () => {
    const { code, report, io } = await simulate(['--episodes', '4', '--seed', '3']);
    expect(code, io.err.join('')).toBe(0);
    const r = report!;
    const expected = localReturns(policy, 4, 3);
    expect(r.returns).toEqual(expected);
    expect(r.episodes).toBe(4);
    expect(r.steps).toBe(expected.reduce((a, b) => a + b, 0));
    expect(r.steps).toBe(fake.calls);
    expect(r.meanReturn).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / 4, 10);
    expect(r.mode).toBe('unary');
    // The fake switches to version 2 after 40 calls; these 4 episodes take more than that.
    expect(r.steps).toBeGreaterThan(40);
    expect(r.versions.seen).toEqual([1, 2]);
    expect(r.versions.perEpisode[0]).toEqual({ episode: 0, first: 1, last: r.lengths[0] > 40 ? 2 : 1 });
    expect(r.versions.perEpisode.at(-1)?.last).toBe(2);
    const lat = r.latencyMs!;
    expect(lat.count).toBe(r.steps);
    for (const k of ['p50', 'p90', 'p99', 'max'] as const) expect(lat[k]).toBeGreaterThan(0);
    expect(lat.p50).toBeLessThanOrEqual(lat.p90);
    expect(lat.p99).toBeLessThanOrEqual(lat.max);
    expect(r.errors).toEqual({});
    expect(r.completed).toBe(true);
    expect(io.out.join('')).toMatch(/latency ms p50/);
  });

  it('acts through one ActStream with a pinned version', async () => {
    const { code, report } = await simulate(['--episodes', '2', '--stream', '--version', '5']);
    expect(code).toBe(0);
    expect(report!.mode).toBe('stream');
    expect(report!.returns).toEqual(localReturns(policy, 2, 0));
    expect(report!.versions.seen).toEqual([5]);
    expect(report!.pinnedVersion).toBe(5);
  });

  it('retries UNAVAILABLE and counts it by gRPC code', async () => {
    fake.failNext = 2;
    const { code, report } = await simulate(['--episodes', '1']);
    expect(code).toBe(0);
    expect(report!.errors).toEqual({ UNAVAILABLE: 2 });
    expect(report!.returns).toEqual(localReturns(policy, 1, 0));
  });

  it('stops on a non-retryable status, writes a partial report and exits 1; a token gets through', async () => {
    fake.requireToken = true;
    const denied = await simulate(['--episodes', '1']);
    expect(denied.code).toBe(1);
    expect(denied.io.err.join('')).toMatch(/answered UNAUTHENTICATED: missing or wrong bearer token/);
    expect(denied.report!.completed).toBe(false);
    expect(denied.report!.errors).toEqual({ UNAUTHENTICATED: 1 });
    const allowed = await simulate(['--episodes', '1', '--token', TOKEN]);
    expect(allowed.code).toBe(0);
    expect(allowed.report!.completed).toBe(true);
  });

  it('says which address is unreachable and that the model-server must run there', async () => {
    const io = bufferIO();
    const code = await runCli(['simulate', '--target', '127.0.0.1:1', '--episodes', '1', '--connect-timeout-ms', '300'], io);
    expect(code).toBe(1);
    expect(io.err.join('')).toMatch(/cannot reach PolicyService at 127\.0\.0\.1:1.*model-server/s);
  });

  it('rejects bad options by name', async () => {
    const io = bufferIO();
    expect(await runCli(['simulate', '--target', 'nowhere', '--episodes', '0'], io)).toBe(2);
    const err = io.err.join('');
    expect(err).toMatch(/--target must be HOST:PORT/);
    expect(err).toMatch(/--episodes must be a whole number >= 1/);
    const tls = bufferIO();
    expect(await runCli(['simulate', '--target', 'a:1', '--tls-ca', '/no/such.pem'], tls)).toBe(2);
    expect(tls.err.join('')).toMatch(/--tls-ca: no such file/);
  });
});

describe('reverie simulate against the real model-server', () => {
  let server: ModelServerHandle;
  const dirs: string[] = [];
  const tempDir = async (): Promise<string> => {
    const d = await mkdtemp(join(tmpdir(), 'reverie-simulate-ms-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    server = await startModelServer(defaultModelServerConfig({ grpcPort: 0, metricsPort: 0, storeDir: await tempDir(), logLevel: 'warn' }));
    // Two versions of one policy with different weights: a pin must reach the old one.
    await server.registry.publish({ policy: 'cartpole', algo: 'dqn', envId: 'CartPole-v1' }, encodePolicyWeights(SPEC, fixedTensors(7)));
    await server.registry.publish({ policy: 'cartpole', algo: 'dqn', envId: 'CartPole-v1' }, encodePolicyWeights(SPEC, fixedTensors(8)));
  });
  afterAll(async () => {
    await server.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function run(args: string[]): Promise<SimulateReport> {
    const out = await tempDir();
    const io = bufferIO();
    expect(await runCli(['simulate', '--target', server.address, '--out', out, ...args], io), io.err.join('')).toBe(0);
    return JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as SimulateReport;
  }

  it('gets actions from the newest version by default and from the pinned one with --version', async () => {
    const newest = await run(['--episodes', '3', '--seed', '11']);
    expect(newest.versions.seen).toEqual([2]);
    expect(newest.returns).toEqual(localReturns(fixedPolicy(8), 3, 11));
    const pinned = await run(['--episodes', '3', '--seed', '11', '--version', '1', '--stream', '--policy', 'cartpole']);
    expect(pinned.versions.seen).toEqual([1]);
    expect(pinned.returns).toEqual(localReturns(fixedPolicy(7), 3, 11));
    expect(pinned.latencyMs!.p50).toBeGreaterThan(0);
  });

  it('stops with NOT_FOUND for a version the server does not have', async () => {
    const out = await tempDir();
    const io = bufferIO();
    expect(await runCli(['simulate', '--target', server.address, '--out', out, '--episodes', '1', '--version', '99'], io)).toBe(1);
    expect(io.err.join('')).toMatch(/answered NOT_FOUND/);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as SimulateReport;
    expect(report.errors).toEqual({ NOT_FOUND: 1 });
  });
});
