import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  decodeTensor,
  encodeTensor,
  GrpcStatus,
  reverieV1,
  rpcError,
  startGrpcServer,
  TensorError,
  type ActRequest__Output,
  type ActResponse,
  type PolicyServiceHandlers,
  type RunningServer,
} from '@reverie/transport';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));

describe('tensor codec', () => {
  it('round-trips every dtype through the wire form', () => {
    const f = new Float32Array([1.5, -2, Math.PI]);
    const back = decodeTensor(encodeTensor(f, [3]) as never, { name: 'x', dtype: 'float32', shape: [3] });
    expect(Array.from(back.array)).toEqual(Array.from(f));
    const i = new Int32Array([7, -8]);
    expect(Array.from(decodeTensor(encodeTensor(i, [2, 1]) as never, { name: 'i', dtype: 'int32' }).array)).toEqual([7, -8]);
  });

  it('copies bytes that are not aligned for the element type', () => {
    const raw = new Uint8Array(9);
    new DataView(raw.buffer).setFloat32(1, 0.25, true);
    const t = { dtype: 'DTYPE_FLOAT32', shape: [2], data: raw.subarray(1, 9) };
    expect(Array.from(decodeTensor(t, { name: 'x', dtype: 'float32' }).array)).toEqual([0.25, 0]);
  });

  it('names what is wrong with a bad tensor', () => {
    const t = encodeTensor(new Float32Array(4), [4]) as never;
    expect(() => decodeTensor(t, { name: 'obs', dtype: 'int32' })).toThrow(/obs: expected int32, got DTYPE_FLOAT32/);
    expect(() => decodeTensor(t, { name: 'obs', dtype: 'float32', shape: [-1, 4] })).toThrow(/expected shape \[-1, 4\], got \[4\]/);
    const short = { dtype: 'DTYPE_FLOAT32', shape: [5], data: new Uint8Array(16) };
    expect(() => decodeTensor(short, { name: 'obs', dtype: 'float32' })).toThrow(TensorError);
    expect(() => decodeTensor(undefined, { name: 'obs', dtype: 'float32' })).toThrow(/obs: missing tensor/);
    expect(() => encodeTensor(new Float32Array(3), [2, 2])).toThrow(/holds 4 elements, the array 3/);
  });
});

describe('gRPC server', () => {
  let running: RunningServer;
  const act: PolicyServiceHandlers['Act'] = (call, callback) => {
    const req: ActRequest__Output = call.request;
    try {
      const obs = decodeTensor(req.observation, { name: 'observation', dtype: 'float32', shape: [4] });
      const reply: ActResponse = { action: encodeTensor(new Int32Array([obs.array[0] > 0 ? 1 : 0]), []), version: 3 };
      callback(null, reply);
    } catch (e) {
      callback(rpcError(GrpcStatus.INVALID_ARGUMENT, (e as Error).message));
    }
  };
  beforeAll(async () => {
    running = await startGrpcServer({
      services: [{ name: 'reverie.v1.PolicyService', definition: reverieV1().PolicyService.service, implementation: { Act: act, ActStream: () => undefined } }],
    });
  });
  afterAll(async () => running.close(100));

  it('serves typed calls and answers bad tensors with INVALID_ARGUMENT', async () => {
    const client = createClient('PolicyService', running.address);
    const call = (obs: Float32Array, shape: number[]) =>
      new Promise<{ err: grpc.ServiceError | null; version?: number }>((resolve) =>
        client.Act({ observation: encodeTensor(obs, shape) }, (err, res) => resolve({ err, version: res?.version })),
      );
    const ok = await call(new Float32Array([1, 0, 0, 0]), [4]);
    expect(ok.err).toBeNull();
    expect(ok.version).toBe(3);
    const bad = await call(new Float32Array(3), [3]);
    expect(bad.err?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(bad.err?.details).toMatch(/observation: expected shape \[4\], got \[3\]/);
    client.close();
  });

  it('answers grpc.health.v1 checks per service', async () => {
    const { protoPath } = await import('grpc-health-check');
    const { loadSync } = await import('@grpc/proto-loader');
    const pkg = grpc.loadPackageDefinition(loadSync(protoPath, { enums: String })) as unknown as {
      grpc: { health: { v1: { Health: new (t: string, c: grpc.ChannelCredentials) => grpc.Client & {
        check(r: { service: string }, cb: (e: grpc.ServiceError | null, r?: { status: string }) => void): void } } } };
    };
    const health = new pkg.grpc.health.v1.Health(running.address, grpc.credentials.createInsecure());
    const check = (service: string) =>
      new Promise<string>((resolve, reject) => health.check({ service }, (e, r) => (e ? reject(e) : resolve(String(r?.status)))));
    expect(await check('reverie.v1.PolicyService')).toBe('SERVING');
    running.setServing(false);
    expect(await check('')).toBe('NOT_SERVING');
    running.setServing(true);
    health.close();
  });
});

describe('generated types', () => {
  it('match the .proto files (regenerate with `pnpm --filter @reverie/transport gen:protos`)', () => {
    const out = mkdtempSync(join(tmpdir(), 'reverie-gen-'));
    const script = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).scripts['gen:protos'] as string;
    const args = script.split(' ').slice(1).map((a) => (a === 'src/generated' ? out : a));
    execFileSync(join(pkgDir, 'node_modules/.bin/proto-loader-gen-types'), args, { cwd: pkgDir });
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const committed = join(pkgDir, 'src/generated');
    const fresh = files(out).map((f) => relative(out, f)).sort();
    expect(files(committed).map((f) => relative(committed, f)).sort()).toEqual(fresh);
    for (const f of fresh) expect(readFileSync(join(committed, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
  });
});
