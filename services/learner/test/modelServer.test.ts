/**
 * The learner publishing to the real model-server process over gRPC (ModelServerPublisher): versions
 * come back from the model-server and increase; a wrong token is refused and training goes on.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePolicy } from '@reverie/policy';
import { createClient, type ListVersionsResponse__Output } from '@reverie/transport';
import { startLearner } from '../src/index.js';
import { ChunkCollector, learnerClient, pushStream, waitFor } from './helpers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let server: ChildProcess;
let address: string;
let dir: string;

beforeAll(async () => {
  execFileSync('npx', ['tsc', '-b', 'services/model-server'], { cwd: root, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'reverie-learner-ms-'));
  server = spawn(process.execPath, [join(root, 'services/model-server/dist/main.js'),
    '--grpcPort', '0', '--metricsPort', '0', '--storeDir', dir, '--token', 'pub-token', '--logLevel', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  address = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\{.*\})/.exec(out);
      if (m) resolve((JSON.parse(m[1]) as { grpc: string }).grpc);
    });
    server.on('exit', (code) => reject(new Error(`model-server exited with ${code}: ${out}`)));
  });
}, 120_000);
afterAll(async () => {
  server?.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

function listVersions(policy: string): Promise<number[]> {
  const client = createClient('ModelService', address);
  return new Promise((resolve, reject) => client.ListVersions({ policy }, (err: Error | null, res?: ListVersionsResponse__Output) => {
    client.close();
    if (err || !res) reject(err ?? new Error('no reply'));
    else resolve(res.versions.map((v) => v.version));
  }));
}

describe('publishing to the model-server over gRPC', () => {
  it('stores every published version there, numbered by the model-server', async () => {
    const learner = await startLearner({
      grpcPort: 0, logLevel: 'silent', hidden: [16], learningStarts: 64, batchSize: 16, publishEvery: 50,
      modelServer: address, modelServerToken: 'pub-token', policy: 'learner-ms-test',
    });
    const client = learnerClient(learner.address);
    const actor = new ChunkCollector('CartPole-v1', 4, 32, 3);
    await pushStream(client, [actor.collect(), actor.collect()]);
    await waitFor(() => learner.learner.publishing.version >= 4, 30_000, 'four versions');
    const versions = await listVersions('learner-ms-test');
    expect(versions.slice(0, 4)).toEqual([1, 2, 3, 4]);
    expect(learner.learner.publishing.latest?.metadata.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(decodePolicy(learner.learner.publishing.latest!.bytes).numActions).toBe(2);
    client.close();
    await learner.close({ checkpoint: false });
  });

  it('counts a refused publish (wrong token) as an error and keeps training', async () => {
    const learner = await startLearner({
      grpcPort: 0, logLevel: 'silent', hidden: [16], learningStarts: 64, batchSize: 16, publishEvery: 50,
      modelServer: address, modelServerToken: 'wrong', policy: 'learner-ms-refused',
    });
    const client = learnerClient(learner.address);
    const actor = new ChunkCollector('CartPole-v1', 4, 32, 4);
    await pushStream(client, [actor.collect(), actor.collect()]);
    await waitFor(() => learner.learner.parts.algorithm.updates >= 200, 30_000, '200 updates');
    expect(learner.learner.publishing.version).toBe(0);
    const metrics = await (await fetch(learner.metricsUrl)).text();
    expect(metrics).toMatch(/reverie_learner_publishes_total\{result="error"[^}]*\} [1-9]/);
    client.close();
    await learner.close({ checkpoint: false });
  });
});
