/**
 * The local Reverie stack as a user starts it: `node packages/cli/dist/main.js stack up`, its
 * `READY {json}` line parsed into the metrics endpoints, and a stop that asks with SIGTERM first.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './dashboardFiles.js';

export const CLI_MAIN = join(REPO_ROOT, 'packages', 'cli', 'dist', 'main.js');

/** One process of the stack and its metrics URL, e.g. { name: 'actor-1', url: 'http://127.0.0.1:41234/metrics' }. */
export interface MetricsEndpoint { name: string; url: string; pid: number | null }

export interface LocalStack {
  modelServerGrpc: string;
  endpoints: MetricsEndpoint[];
  /** The last lines of its output (its own and its children's, prefixed by process), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

interface EndpointJson { grpc?: string | null; metrics?: string | null; pid?: number | null }
interface ReadyJson { modelServer?: EndpointJson; learner?: EndpointJson; actors?: (EndpointJson & { name?: string })[] }

/** `npx tsc -b` at the repository root, so dist/ holds what the sources say. */
export function buildRepository(): void {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc -b failed (${r.status}):\n${r.stdout}${r.stderr}`);
}

function endpointsOf(ready: ReadyJson): MetricsEndpoint[] {
  const named: [string, EndpointJson | undefined][] = [
    ['model-server', ready.modelServer],
    ['learner', ready.learner],
    ...(ready.actors ?? []).map((a, i): [string, EndpointJson] => [a.name ?? `actor-${i + 1}`, a]),
  ];
  return named.flatMap(([name, ep]) => (ep?.metrics ? [{ name, url: ep.metrics, pid: ep.pid ?? null }] : []));
}

const KEPT_LINES = 60;

/** Appends a line, keeping only the last KEPT_LINES. */
function keep(lines: string[], line: string): void {
  lines.push(line);
  if (lines.length > KEPT_LINES) lines.shift();
}

function waitForReady(child: ChildProcess, lines: string[], timeoutMs: number): Promise<ReadyJson> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack up printed no READY line within ${timeoutMs} ms:\n${lines.slice(-30).join('\n')}`)), timeoutMs);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`stack up exited (${code}) before READY:\n${lines.slice(-30).join('\n')}`));
    };
    child.once('exit', onExit);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(lines, line);
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      try {
        resolve(JSON.parse(line.slice('READY '.length)) as ReadyJson);
      } catch (e) {
        reject(new Error(`bad READY line (${(e as Error).message}): ${line}`));
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => keep(lines, line));
  });
}

/** Sends SIGTERM; SIGKILLs the CLI and each child it reported (by pid) if they are not gone within `timeoutMs`. */
async function stopStack(child: ChildProcess, endpoints: MetricsEndpoint[], timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs))]);
  if (!timedOut) return;
  child.kill('SIGKILL');
  for (const { pid } of endpoints) {
    if (pid === null) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export interface StackOptions {
  actors: number;
  envsPerActor: number;
  dataDir: string;
  readyTimeoutMs: number;
  /** More `stack up` flags, e.g. ['--services-dir', dir]. */
  extraArgs?: string[];
}

export async function startLocalStack(o: StackOptions): Promise<LocalStack> {
  const args = [CLI_MAIN, 'stack', 'up', '--actors', String(o.actors), '--envs-per-actor', String(o.envsPerActor), '--data-dir', o.dataDir, ...(o.extraArgs ?? [])];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let endpoints: MetricsEndpoint[] = [];
  try {
    const ready = await waitForReady(child, lines, o.readyTimeoutMs);
    endpoints = endpointsOf(ready);
    const grpc = ready.modelServer?.grpc;
    if (!grpc) throw new Error(`READY names no model-server gRPC address: ${JSON.stringify(ready)}`);
    return { modelServerGrpc: grpc, endpoints, output: () => lines.join('\n'), stop: () => stopStack(child, endpoints, 20_000) };
  } catch (e) {
    await stopStack(child, endpoints, 20_000);
    throw e;
  }
}

export interface SimulatorRun {
  /** Its exit code and everything it printed. */
  exited: Promise<{ code: number | null; output: string }>;
  running(): boolean;
  /** SIGTERM; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Starts `reverie simulate` against the model-server: PolicyService traffic as a simulator makes it. */
export function startSimulator(target: string, outDir: string, extra: string[]): SimulatorRun {
  const args = [CLI_MAIN, 'simulate', '--target', target, '--out', outDir, '--retries', '0', ...extra];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; output: string }>((resolve) => child.once('exit', (code) => resolve({ code, output })));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    exited,
    running,
    async stop() {
      if (running()) child.kill('SIGTERM');
      await exited;
    },
  };
}
