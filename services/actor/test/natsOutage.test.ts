/**
 * NATS goes away under a running actor process: the actor keeps stepping with the weights it has,
 * reconnects when the broker is back, catches up on the version the model-server stored during the
 * outage, and takes the next version from the resumed broadcast. Real processes (actor and
 * model-server dist/main.js), real nats-server, real gRPC to a test learner.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePolicyWeights } from '@reverie/policy';
import {
  createClient,
  decodeTensor,
  sha256Hex,
  startNatsServer,
  type ListVersionsResponse__Output,
  type ModelServiceClient,
  type PublishWeightsResponse__Output,
  type RunningNatsServer,
  type TrajectoryChunk__Output,
} from '@reverie/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricSum, Processes, scrape, until } from './processes.js';
import { TestLearner } from './testLearner.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const POLICY = 'outage-cartpole';
const ENVS = 8;
const STEPS = 16;
const OUTAGE_MS = 3000;

/** Q(0) = 0, Q(1) = sign · (angle + 0.5 angular velocity): sign +1 leans into the fall, −1 away from it. */
function leaning(sign: 1 | -1): Uint8Array {
  const weight = new Float32Array(8);
  weight[2 * 2 + 1] = sign;
  weight[3 * 2 + 1] = 0.5 * sign;
  return encodePolicyWeights({ kind: 'mlp-q', obsShape: [4], numActions: 2, hidden: [], activation: 'relu' }, { 'l0.weight': weight, 'l0.bias': new Float32Array(2) });
}

/** The greedy actions of `leaning(sign)` on a chunk's observations (epsilon is 0). */
function leaningActions(chunk: TrajectoryChunk__Output, sign: 1 | -1): number[] {
  const obs = decodeTensor(chunk.observations, { name: 'observations', dtype: 'float32', shape: [STEPS, ENVS, 4] }).array;
  return Array.from({ length: STEPS * ENVS }, (_, r) => {
    const q1 = Math.fround(sign * Math.fround(obs[r * 4 + 2] + Math.fround(0.5 * obs[r * 4 + 3])));
    return q1 > 0 ? 1 : 0;
  });
}

function publish(client: ModelServiceClient, bytes: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = client.PublishWeights((err: Error | null, res?: PublishWeightsResponse__Output) =>
      err || !res?.metadata ? reject(err ?? new Error('no metadata in the reply')) : resolve(Number(res.metadata.version)),
    );
    call.write({ metadata: { policy: POLICY, algo: 'mlp-q', envId: 'CartPole-v1', sha256: sha256Hex(bytes), sizeBytes: bytes.byteLength }, offset: 0, data: bytes });
    call.end();
  });
}

function storedVersions(client: ModelServiceClient): Promise<number[]> {
  return new Promise((resolve, reject) =>
    client.ListVersions({ policy: POLICY }, (err: Error | null, res?: ListVersionsResponse__Output) =>
      err || !res ? reject(err ?? new Error('no reply')) : resolve(res.versions.map((v) => Number(v.version))),
    ),
  );
}

/** Names of the clients connected to the nats-server (its /connz monitoring endpoint). */
async function natsClients(nats: RunningNatsServer): Promise<string[]> {
  try {
    const res = await fetch(`${nats.monitorUrl}/connz`);
    const body = (await res.json()) as { connections?: { name?: string }[] };
    return (body.connections ?? []).map((c) => c.name ?? '');
  } catch {
    return []; // monitoring not listening yet
  }
}

describe('a NATS outage under a running actor', () => {
  const processes = new Processes();
  const learner = new TestLearner(() => 'store', 5);
  const dirs: string[] = [];
  let nats: RunningNatsServer | undefined;
  let modelServer: ModelServiceClient | undefined;

  beforeAll(() => {
    execFileSync('npx', ['tsc', '-b', 'services/actor', 'services/model-server'], { cwd: root, stdio: 'ignore' });
  }, 120_000);

  afterAll(async () => {
    modelServer?.close();
    await processes.killAll();
    await learner.server?.close(0);
    await nats?.kill();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('keeps acting on the last weights, reconnects, catches up on the version stored meanwhile, then follows the broadcast again', async () => {
    nats = await startNatsServer({ monitorPort: 0 });
    dirs.push(nats.storeDir, mkdtempSync(join(tmpdir(), 'reverie-outage-weights-')));
    const learnerAddress = await learner.start();
    const server = await processes.start(join(root, 'services/model-server/dist/main.js'), [
      '--grpcPort', '0', '--metricsPort', '0', '--storeDir', dirs[1], '--nats.url', nats.url, '--logLevel', 'silent',
    ]);
    const actor = await processes.start(join(root, 'services/actor/dist/main.js'), [
      '--actorId', 'outage-actor', '--numEnvs', String(ENVS), '--workers', '1', '--chunkSteps', String(STEPS), '--window', '2', '--epsilon', '0',
      '--policy', POLICY, '--learner.address', learnerAddress, '--modelServer.address', server.ready.grpc, '--nats.url', nats.url,
      '--metricsPort', '0', '--logLevel', 'warn',
    ]);
    modelServer = createClient('ModelService', server.ready.grpc);
    const actorMetric = async (name: string): Promise<number> => metricSum(await scrape(actor.ready.metrics), name);
    const chunks = (from: number, to: number): TrajectoryChunk__Output[] =>
      [...learner.stored.entries()].filter(([s]) => s > from && s <= to).map(([, c]) => c);
    const newestStored = (): number => Math.max(-1, ...learner.stored.keys());

    // Before the outage: version 1 arrives over NATS and the actor acts with it.
    expect(await publish(modelServer, leaning(1))).toBe(1);
    await until('the actor acting with version 1', async () => (await actorMetric('reverie_actor_policy_version')) === 1);
    await until('a chunk acted with version 1 at the learner', () => [...learner.stored.values()].some((c) => Number(c.policyVersion) === 1));

    // The outage.
    const beforeOutage = newestStored();
    const stepsBefore = await actorMetric('reverie_actor_env_steps_total');
    await nats.stop();
    const outageEnds = Date.now() + OUTAGE_MS;
    const publishing = publish(modelServer, leaning(-1));
    await until('version 2 stored by the model-server while NATS is down', async () => (await storedVersions(modelServer!)).includes(2), 15_000);
    // Sampled through the whole outage: the actor steps on, always with version 1.
    const samples: { at: number; steps: number; version: number }[] = [];
    await until(`the end of a ${OUTAGE_MS} ms outage`, async () => {
      const text = await scrape(actor.ready.metrics);
      samples.push({ at: Date.now(), steps: metricSum(text, 'reverie_actor_env_steps_total'), version: metricSum(text, 'reverie_actor_policy_version') });
      return Date.now() >= outageEnds;
    }, OUTAGE_MS + 15_000);
    expect(new Set(samples.map((x) => x.version))).toEqual(new Set([1]));
    const lastSecond = samples.filter((x) => x.at >= outageEnds - 1000);
    expect(lastSecond.length).toBeGreaterThanOrEqual(2);
    expect(lastSecond.at(-1)!.steps).toBeGreaterThan(lastSecond[0].steps);
    expect(samples.at(-1)!.steps).toBeGreaterThanOrEqual(stepsBefore + 4 * ENVS * STEPS);
    const duringOutage = newestStored();
    const outageChunks = chunks(beforeOutage, duringOutage);
    expect(outageChunks.length).toBeGreaterThanOrEqual(3);
    for (const chunk of outageChunks) {
      expect(Number(chunk.policyVersion)).toBe(1);
      expect(Number(chunk.latestVersion)).toBe(1);
      expect(Array.from(decodeTensor(chunk.actions, { name: 'actions', dtype: 'int32', shape: [STEPS, ENVS] }).array)).toEqual(leaningActions(chunk, 1));
    }

    // NATS is back (same port, same JetStream folder).
    nats = await startNatsServer({ port: nats.port, storeDir: nats.storeDir, monitorPort: 0 });
    expect(await publishing).toBe(2);
    const serverMetrics = await scrape(server.ready.metrics);
    expect(metricSum(serverMetrics, 'reverie_model_broadcast_failures_total')).toBe(1);
    await until('the actor catching up on version 2', async () => (await actorMetric('reverie_actor_policy_version')) === 2, 10_000);
    await until('a chunk acted with version 2 at the learner', () => [...learner.stored.values()].some((c) => Number(c.policyVersion) === 2));
    const withV2 = [...learner.stored.values()].filter((c) => Number(c.policyVersion) === 2);
    for (const chunk of withV2) {
      expect(Array.from(decodeTensor(chunk.actions, { name: 'actions', dtype: 'int32', shape: [STEPS, ENVS] }).array)).toEqual(leaningActions(chunk, -1));
    }

    // The broadcast resumes: once the model-server is connected again, version 3 reaches the actor over NATS.
    await until('the model-server reconnected to NATS', async () => (await natsClients(nats!)).includes('model-server'), 10_000);
    expect(await publish(modelServer, leaning(1))).toBe(3);
    await until('the actor acting with version 3', async () => (await actorMetric('reverie_actor_policy_version')) === 3, 10_000);
    expect(metricSum(await scrape(server.ready.metrics), 'reverie_model_broadcast_failures_total')).toBe(1);
    expect(await actorMetric('reverie_actor_weights_apply_seconds_count')).toBe(3);

    // And it still stops cleanly.
    actor.child.kill('SIGTERM');
    expect(await actor.exited).toEqual({ code: 0, signal: null });
    expect(actor.output()).not.toMatch(/"level":"(error|fatal)"/);
  }, 60_000);
});
