/**
 * Runs the services the way their images do: `pnpm --filter <pkg> deploy --prod <dir>` (the
 * Dockerfiles' build stage), the protos placed by deploy/docker/place-protos.mjs, then
 * `node dist/main.js` from that folder with an environment taken from the rendered manifests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DOCKER_DIR, REPO_ROOT } from './repo.js';

function run(command: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-3000)));
    child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-3000)));
    child.once('error', (err) => reject(new Error(`${what}: ${err.message}`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${what} exited with ${code}:\n${output}`))));
  });
}

/**
 * Builds the services' dist/ when one is missing (`pnpm test` builds everything before the tests;
 * run `npx tsc -b` yourself after changing a service, since pnpm deploy copies dist/ as it is).
 */
export async function buildMissing(services: readonly string[]): Promise<void> {
  const missing = services.filter((s) => !existsSync(join(REPO_ROOT, 'services', s, 'dist', 'main.js')));
  if (missing.length > 0) await run('npx', ['tsc', '-b', ...missing.map((s) => join('services', s))], 'tsc -b');
}

/** The image's /app: the service's deploy folder with the protos where @reverie/transport loads them. */
export async function deployService(packageName: string, outDir: string): Promise<void> {
  await run('npx', ['--yes', 'pnpm@9.15.9', '--filter', packageName, 'deploy', '--prod', outDir], `pnpm deploy of ${packageName}`);
  await run('node', [join(DOCKER_DIR, 'place-protos.mjs'), outDir, join(REPO_ROOT, 'protos')], 'place-protos.mjs');
}

export interface RunningService {
  ready: Record<string, unknown>;
  process: ChildProcess;
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`); resolves to the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Starts `node dist/main.js` in `appDir` and resolves with its `READY {json}` line. */
export function startService(appDir: string, args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<RunningService> {
  const child = spawn('node', ['dist/main.js', ...args], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (graceMs = 15_000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(1000);
      reject(new Error(`no READY line from ${appDir} in ${timeoutMs} ms:\n${output.slice(-3000)}`));
    }, timeoutMs);
    const onData = (data: Buffer) => {
      output += data.toString();
      const line = output.split('\n').find((l) => l.startsWith('READY '));
      if (!line) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      resolve({ ready: JSON.parse(line.slice('READY '.length)), process: child, output: () => output, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${appDir}: node dist/main.js exited with ${code} before READY:\n${output.slice(-3000)}`));
    });
  });
}

interface HealthClient {
  check(request: { service: string }, options: { deadline: number }, done: (err: Error | null, reply?: { status?: unknown }) => void): void;
  close(): void;
}

/**
 * grpc.health.v1 Check of service "" (what a Kubernetes `grpc:` probe asks), made with the gRPC
 * library and health proto shipped in the deployed folder itself.
 */
export function grpcHealth(appDir: string, address: string): Promise<string> {
  const load = createRequire(join(appDir, 'node_modules', '.pnpm', 'node_modules', 'anchor.js'));
  const grpc = load('@grpc/grpc-js');
  const loader = load('@grpc/proto-loader');
  const { protoPath } = load('grpc-health-check');
  const definition = loader.loadSync(protoPath, { enums: String });
  const client: HealthClient = new (grpc.loadPackageDefinition(definition).grpc.health.v1.Health)(address, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.check({ service: '' }, { deadline: Date.now() + 5000 }, (err, reply) => {
      client.close();
      if (err) reject(err);
      else resolve(String(reply?.status));
    });
  });
}
