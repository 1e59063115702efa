/**
 * A local point: the stack as processes on this machine (the same supervisor `reverie stack up` uses),
 * warmed up, measured between two scrapes of every /metrics, then stopped before the next point.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { LogSink } from '../stack/child.js';
import { fileSink } from '../stack/logs.js';
import type { StackAlgo } from '../stack/services.js';
import { startStack, type RunningStack } from '../stack/stack.js';
import type { StopOutcome } from '../stack/supervisor.js';
import type { WindowIncrease } from './metrics.js';
import { pointName, pointResult, ScalePointError, type PointResult, type ScalePoint } from './point.js';
import { scrapeIncrease, scrapeStack } from './scrape.js';

export interface LocalPointSettings {
  servicesDir: string;
  env: string;
  algo: StackAlgo;
  workersPerActor: number;
  seed: number;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  warmupSeconds: number;
  seconds: number;
  /** Each point's process logs go to `<logsDir>/<point>/<process>.log`. */
  logsDir: string;
  /** Each point's weights, checkpoints and NATS store go to `<dataRoot>/<point>` (removed afterwards); null: a temporary folder. */
  dataRoot: string | null;
}

export interface LocalPointHooks {
  /** Progress and unexpected events, one line each. */
  notice(text: string): void;
  /** Called once the stack runs with a function that kills all of its processes at once (a second Ctrl-C). */
  onKill?(kill: () => void): void;
}

async function measure(stack: RunningStack, s: LocalPointSettings, signal: AbortSignal): Promise<WindowIncrease> {
  await delay(s.warmupSeconds * 1000, undefined, { signal });
  const start = await scrapeStack(stack.endpoints);
  await delay(s.seconds * 1000, undefined, { signal });
  const end = await scrapeStack(stack.endpoints);
  return scrapeIncrease(start, end);
}

/** How a process ended, unless that is its normal answer to SIGTERM (nats-server answers it with code 1). */
function unusualStop(o: StopOutcome): string | null {
  const normal = o.how === 'code 0' || o.how === 'signal SIGTERM' || (o.name === 'nats-server' && o.how === 'code 1');
  return normal ? null : `${o.name} stopped with ${o.how}`;
}

async function pointDataDir(point: ScalePoint, s: LocalPointSettings): Promise<string> {
  if (s.dataRoot === null) return mkdtemp(join(tmpdir(), `reverie-scale-${pointName(point)}-`));
  const dir = join(s.dataRoot, pointName(point));
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Starts the point's stack; an actor that does not start fails the point (its count would be wrong). */
async function startPointStack(point: ScalePoint, s: LocalPointSettings, dataDir: string, log: LogSink, note: (text: string) => void, signal: AbortSignal): Promise<RunningStack> {
  const startNotices: string[] = [];
  let started = false;
  const notice = (text: string): void => {
    if (!started) startNotices.push(text);
    else note(text);
  };
  const config = { ...s, actors: point.actors, envsPerActor: point.envsPerActor, dataDir, natsUrl: null, token: randomBytes(18).toString('base64url') };
  // The actors' start failures arrive as notices ("continuing without …" does not apply here).
  const why = (): string => startNotices.map((t) => t.replace(/\n\(continuing without [^)]*\)$/, '')).join('\n');
  let stack: RunningStack;
  try {
    stack = await startStack(config, { log, notice }, signal);
  } catch (e) {
    const message = (e as Error).message.replace('; see the messages above', '');
    throw new ScalePointError(point, startNotices.length === 0 ? message : `${message}:\n${why()}`);
  }
  started = true;
  if (stack.endpoints.actors.length < point.actors) {
    await stack.stop();
    throw new ScalePointError(point, `only ${stack.endpoints.actors.length} of ${point.actors} actors started; stopped the rest:\n${why()}`);
  }
  return stack;
}

/**
 * Runs one point and stops its stack (also when measuring fails or `signal` aborts). The stack's data
 * lives in a folder removed afterwards; logs are kept. Failures are ScalePointErrors naming the point.
 */
export async function runLocalPoint(point: ScalePoint, s: LocalPointSettings, signal: AbortSignal, hooks: LocalPointHooks): Promise<PointResult> {
  const loadAverage1m = loadavg()[0];
  const notes: string[] = [];
  const note = (text: string): void => {
    notes.push(text);
    hooks.notice(`${pointName(point)}: ${text}`);
  };
  const dataDir = await pointDataDir(point, s);
  const logs = fileSink(join(s.logsDir, pointName(point)));
  try {
    const stack = await startPointStack(point, s, dataDir, logs.sink, note, signal);
    const lastResort = (): void => stack.killAll();
    process.once('exit', lastResort);
    hooks.onKill?.(lastResort);
    try {
      return pointResult(point, await measure(stack, s, signal), { loadAverage1m, notes });
    } catch (e) {
      throw new ScalePointError(point, [(e as Error).message, ...notes].join('\n'));
    } finally {
      for (const o of await stack.stop()) {
        const unusual = unusualStop(o);
        if (unusual !== null) notes.push(unusual);
      }
      process.off('exit', lastResort);
    }
  } finally {
    await logs.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
