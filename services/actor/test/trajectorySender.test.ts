import { createClient, decodeTensor, freePort, type LearnerServiceClient } from '@reverie/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { TrajectoryAssembler, type TrajectoryChunk } from '../src/index.js';
import { TrajectorySender, type SenderEvents } from '../src/service/trajectorySender.js';
import { TestLearner } from './testLearner.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const T = 3;
const N = 2;

/** Chunk k holds observations k*100 + index and actions (index + k) % 2. */
function makeChunks(count: number, poolSize = count): { chunks: TrajectoryChunk[]; expectedObs: number[][]; assembler: TrajectoryAssembler } {
  const assembler = new TrajectoryAssembler({ numEnvs: N, numSteps: T, observationSize: 4, actionSize: 1, discrete: true, poolSize });
  const chunks: TrajectoryChunk[] = [];
  const expectedObs: number[][] = [];
  const outcome = {
    rewards: new Float64Array([1, 1]),
    terminated: new Uint8Array(2),
    truncated: new Uint8Array(2),
    nextObservations: new Float32Array(8),
    episodeReturns: new Float64Array(2),
    episodeLengths: new Int32Array(2),
  };
  for (let k = 0; k < count; k++) {
    const obs: number[] = [];
    for (let t = 0; t < T; t++) {
      const observations = Float32Array.from({ length: N * 4 }, (_, i) => k * 100 + t * 8 + i);
      obs.push(...observations);
      assembler.recordActions({ observations, actions: Int32Array.from({ length: N }, (_, i) => (i + k) % 2) }, k);
      const chunk = assembler.recordOutcome(outcome);
      if (chunk) chunks.push(chunk);
    }
    expectedObs.push(obs);
  }
  return { chunks, expectedObs, assembler };
}

function senderFor(address: string, window: number, events: SenderEvents = {}): TrajectorySender {
  const client: LearnerServiceClient = createClient('LearnerService', address);
  cleanup.push(() => client.close());
  return new TrajectorySender({
    actorId: 'actor-test',
    envId: 'CartPole-v1',
    observationSize: 4,
    actionSize: 1,
    window,
    latestVersion: () => 9,
    openStream: () => client.PushTrajectories(),
    backoff: { initialMs: 30, maxMs: 200 },
    events,
  });
}

async function startLearner(learner: TestLearner, port?: number): Promise<string> {
  const address = await learner.start(port);
  cleanup.push(() => learner.server?.close(0));
  return address;
}

describe('TrajectorySender', () => {
  it('delivers every chunk in order with at most `window` unacknowledged, as tensors of the right shape', async () => {
    const learner = new TestLearner(() => 'store', 15);
    const sender = senderFor(await startLearner(learner), 2);
    const { chunks, expectedObs } = makeChunks(8);
    let maxInFlight = 0;
    for (const chunk of chunks) {
      await sender.send(chunk);
      maxInFlight = Math.max(maxInFlight, sender.inFlight);
    }
    expect(await sender.close()).toBe(0);
    expect(maxInFlight).toBe(2);
    expect(learner.maxUnacked).toBe(2);
    expect([...learner.stored.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const [k, message] of learner.stored) {
      expect([message.actorId, message.envId, message.numEnvs, message.numSteps, Number(message.policyVersion), Number(message.latestVersion)]).toEqual(['actor-test', 'CartPole-v1', N, T, k, 9]);
      const obs = decodeTensor(message.observations, { name: 'observations', dtype: 'float32', shape: [T, N, 4] }).array;
      expect(Array.from(obs)).toEqual(expectedObs[k]);
      const actions = decodeTensor(message.actions, { name: 'actions', dtype: 'int32', shape: [T, N] }).array;
      expect(Array.from(actions.subarray(0, N))).toEqual([k % 2, (k + 1) % 2]);
      decodeTensor(message.terminated, { name: 'terminated', dtype: 'bool', shape: [T, N] });
    }
  });

  it('releases a chunk only once it is acknowledged', async () => {
    const learner = new TestLearner(() => 'store', 100);
    const sender = senderFor(await startLearner(learner), 2);
    const { chunks, assembler } = makeChunks(2, 2);
    for (const chunk of chunks) await sender.send(chunk);
    expect(sender.inFlight).toBe(2);
    expect(assembler.hasFreeChunk).toBe(false);
    expect(await sender.close()).toBe(0);
    expect(assembler.hasFreeChunk).toBe(true);
    expect(() => chunks[0].release()).toThrow('trajectory chunk 0 was released twice');
  });

  it('resends unacknowledged chunks on a new stream after the learner drops one; each is stored once', async () => {
    let dropped = false;
    const learner = new TestLearner((chunk) => {
      if (Number(chunk.sequence) === 3 && !dropped) {
        dropped = true;
        return 'drop-stream';
      }
      return 'store';
    }, 5);
    const seen = { acked: 0, resent: 0, reconnecting: 0 };
    const sender = senderFor(await startLearner(learner), 3, {
      acked: () => void seen.acked++,
      resent: (n) => void (seen.resent += n),
      reconnecting: () => void seen.reconnecting++,
    });
    const { chunks } = makeChunks(8);
    for (const chunk of chunks) await sender.send(chunk);
    expect(await sender.close()).toBe(0);
    expect([...learner.stored.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(seen.acked).toBe(8);
    expect(seen.reconnecting).toBe(1);
    expect(seen.resent).toBeGreaterThanOrEqual(1);
  });

  it('backs off while the learner is down and delivers once it is up', async () => {
    const port = await freePort();
    const delays: number[] = [];
    const sender = senderFor(`127.0.0.1:${port}`, 4, { reconnecting: (ms) => void delays.push(ms) });
    const { chunks } = makeChunks(3);
    for (const chunk of chunks) await sender.send(chunk);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const learner = new TestLearner();
    await startLearner(learner, port);
    expect(await sender.close(10_000)).toBe(0);
    expect([...learner.stored.keys()]).toEqual([0, 1, 2]);
    expect(delays.length).toBeGreaterThanOrEqual(2);
    // Exponential: the second wait is longer than the first (jitter is ±20%), capped at 200 ms (+20%).
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(240);
  });

  it('drops a chunk the learner refuses as malformed and delivers the rest', async () => {
    const learner = new TestLearner((chunk) => (Number(chunk.sequence) === 1 ? 'invalid' : 'store'));
    const rejected: number[] = [];
    const sender = senderFor(await startLearner(learner), 1, { rejected: (sequence) => void rejected.push(sequence) });
    const { chunks } = makeChunks(4);
    for (const chunk of chunks) await sender.send(chunk);
    expect(await sender.close()).toBe(0);
    expect(rejected).toEqual([1]);
    expect([...learner.stored.keys()]).toEqual([0, 2, 3]);
  });

  it('stops with a clear error when the learner refuses the credentials', async () => {
    const learner = new TestLearner(() => 'unauthenticated');
    const sender = senderFor(await startLearner(learner), 1);
    const { chunks } = makeChunks(2);
    await sender.send(chunks[0]);
    await expect(sender.send(chunks[1])).rejects.toThrow('PushTrajectories failed: 16 UNAUTHENTICATED: test learner: unauthenticated at chunk 0');
    expect(await sender.close()).toBe(1);
  });
});
