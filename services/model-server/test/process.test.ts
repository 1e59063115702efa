import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTensor, encodeTensor } from '@reverie/transport';
import { GrpcWeightsPublisher } from '../src/index.js';
import { act, listVersions, modelClient, policyClient } from './grpcClient.js';
import { signPolicy, tempDir } from './helpers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const mainJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Child {
  proc: ChildProcess;
  ready: { grpc: string; metrics: string };
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(storeDir: string): Promise<Child> {
  const proc = spawn(process.execPath, [mainJs, '--grpcPort', '0', '--metricsPort', '0', '--storeDir', storeDir, '--logLevel', 'warn', '--token', 't0k'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) resolve({ proc, ready: JSON.parse(line.slice(6)) as Child['ready'], exit });
    });
    void exit.then((e) => reject(new Error(`model-server exited before READY: ${JSON.stringify(e)}`)));
  });
}

describe('the model-server process', () => {
  const children: Child[] = [];
  beforeAll(() => {
    execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-b', 'services/model-server'], { cwd: root, stdio: 'inherit' });
  }, 120_000);
  afterAll(() => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  });

  it('keeps its versions through kill -9 and a restart on the same store, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const first = await startChild(dir);
    children.push(first);
    const publisher = new GrpcWeightsPublisher(first.ready.grpc, { token: 't0k' });
    for (let b = 0; b < 3; b++) await publisher.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(b));
    publisher.close();
    first.proc.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');

    const second = await startChild(dir);
    children.push(second);
    const models = modelClient(second.ready.grpc);
    const policies = policyClient(second.ready.grpc);
    try {
      expect(await listVersions(models, 'cartpole')).toEqual([1, 2, 3]);
      const res = await act(policies, { observation: encodeTensor(new Float32Array([0.5, 0, 0, 0]), [4]) });
      expect(res.version).toBe(3);
      expect(Array.from(decodeTensor(res.action, { name: 'a', dtype: 'int32' }).array)).toEqual([0]); // bias 2 > 2·0.5
      const metrics = await (await fetch(second.ready.metrics)).text();
      expect(metrics).toMatch(/reverie_model_latest_version\{policy="cartpole",service="model-server"\} 3/);
    } finally {
      models.close();
      policies.close();
    }
    second.proc.kill('SIGTERM');
    expect(await second.exit).toEqual({ code: 0, signal: null });
  });
});
