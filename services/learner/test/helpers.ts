/** Test helpers: real CartPole chunks from a vector env, and a real gRPC push stream. */
import { npRandom, type NumpyGenerator } from '@reverie/core';
import { Discrete, makeVec, type VectorEnv } from '@reverie/envs';
import {
  createClient,
  encodeTensor,
  type LearnerServiceClient,
  type PushAck__Output,
  type TrajectoryChunk,
  type WeightsMetadata,
  type WeightsMetadata__Output,
  type WeightsPublisher,
} from '@reverie/transport';

export type ActFn = (obs: Float32Array, batch: number, out: Int32Array) => void;

/** Steps a same-step-autoreset vector env and packs T steps into TrajectoryChunk messages. */
export class ChunkCollector {
  readonly vec: VectorEnv;
  private readonly rng: NumpyGenerator;
  private readonly epReturn: Float64Array;
  private readonly actionsNow: Int32Array;
  private sequence = 0;
  private readonly numActions: number;
  /** Returns of every episode finished so far. */
  readonly returns: number[] = [];

  constructor(readonly envId: string, readonly numEnvs: number, readonly numSteps: number, seed: number, readonly actorId = 'actor-0') {
    this.vec = makeVec(envId, numEnvs, { autoreset: 'same-step' });
    this.vec.reset({ seed });
    this.rng = npRandom(seed).rng;
    this.epReturn = new Float64Array(numEnvs);
    this.actionsNow = new Int32Array(numEnvs);
    const space = this.vec.singleActionSpace;
    if (!(space instanceof Discrete)) throw new Error(`${envId}: ChunkCollector needs a Discrete action space`);
    this.numActions = space.n;
  }

  collect(act?: ActFn, epsilon = 1, versions = { policy: 0, latest: 0 }): TrajectoryChunk {
    const { vec, numEnvs: n, numSteps: t } = this;
    const o = vec.obsSize;
    const obs = new Float32Array(t * n * o);
    const next = new Float32Array(t * n * o);
    const actions = new Int32Array(t * n);
    const rewards = new Float32Array(t * n);
    const terminated = new Uint8Array(t * n);
    const truncated = new Uint8Array(t * n);
    const episodeReturns: number[] = [];
    for (let s = 0; s < t; s++) {
      obs.set(vec.observations, s * n * o);
      if (act !== undefined) act(vec.observations, n, this.actionsNow);
      for (let i = 0; i < n; i++) {
        if (act === undefined || this.rng.random() < epsilon) this.actionsNow[i] = this.rng.integers(0, this.numActions);
      }
      actions.set(this.actionsNow, s * n);
      vec.step(this.actionsNow);
      for (let i = 0; i < n; i++) {
        const row = s * n + i;
        rewards[row] = vec.rewards[i];
        terminated[row] = vec.terminated[i];
        truncated[row] = vec.truncated[i];
        const src = vec.hasFinal[i] === 1 ? vec.finalObservations : vec.observations;
        next.set(src.subarray(i * o, (i + 1) * o), row * o);
        this.epReturn[i] += vec.rewards[i];
        if ((vec.terminated[i] | vec.truncated[i]) === 1) {
          episodeReturns.push(this.epReturn[i]);
          this.returns.push(this.epReturn[i]);
          this.epReturn[i] = 0;
        }
      }
    }
    return {
      actorId: this.actorId,
      sequence: this.sequence++,
      envId: this.envId,
      numEnvs: n,
      numSteps: t,
      policyVersion: versions.policy,
      latestVersion: versions.latest,
      observations: encodeTensor(obs, [t, n, o]),
      actions: encodeTensor(actions, [t, n]),
      rewards: encodeTensor(rewards, [t, n]),
      terminated: encodeTensor(terminated, [t, n], 'bool'),
      truncated: encodeTensor(truncated, [t, n], 'bool'),
      nextObservations: encodeTensor(next, [t, n, o]),
      episodeReturns,
      episodeLengths: [],
    };
  }
}

export interface PushResult {
  acks: PushAck__Output[];
  error?: { code: number; details: string };
}

/** Sends chunks on one PushTrajectories stream and collects the acks until the stream ends. */
export function pushStream(client: LearnerServiceClient, chunks: TrajectoryChunk[]): Promise<PushResult> {
  return new Promise((resolve) => {
    const acks: PushAck__Output[] = [];
    const call = client.PushTrajectories();
    call.on('data', (ack: PushAck__Output) => acks.push(ack));
    call.on('error', (err: { code: number; details: string }) => resolve({ acks, error: { code: err.code, details: err.details } }));
    call.on('end', () => resolve({ acks }));
    for (const c of chunks) call.write(c);
    call.end();
  });
}

export function learnerClient(address: string, token?: string): LearnerServiceClient {
  return createClient('LearnerService', address, { token });
}

export function getStatus(client: LearnerServiceClient) {
  return new Promise<{ updates: number; envSteps: number; replaySize: number; publishedVersion: number; backend: string }>((resolve, reject) =>
    client.GetStatus({}, (err, res) => (err || !res ? reject(err ?? new Error('no status')) : resolve(res))),
  );
}

/** An in-process WeightsPublisher that numbers versions and records what it received. */
export class RecordingPublisher implements WeightsPublisher {
  readonly received: { metadata: WeightsMetadata__Output; bytes: Uint8Array }[] = [];

  async publish(metadata: WeightsMetadata, bytes: Uint8Array): Promise<WeightsMetadata__Output> {
    const stored: WeightsMetadata__Output = {
      policy: metadata.policy ?? '',
      version: this.received.length + 1,
      algo: metadata.algo ?? '',
      envId: metadata.envId ?? '',
      sha256: metadata.sha256 ?? '',
      sizeBytes: bytes.byteLength,
      createdUnixMs: Number(metadata.createdUnixMs ?? 0),
      labels: { ...metadata.labels },
    };
    this.received.push({ metadata: stored, bytes: bytes.slice() });
    return stored;
  }

  get latest(): { metadata: WeightsMetadata__Output; bytes: Uint8Array } | undefined {
    return this.received.at(-1);
  }
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
