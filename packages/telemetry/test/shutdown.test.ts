import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, onShutdown, type ShutdownHandle } from '../src/index.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = join(packageDir, 'test', 'fixtures', 'shutdown-child.mjs');

function capturedLogger() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
  });
  return { logger: createLogger({ service: 'test', destination: stream }), lines };
}

describe('onShutdown in-process (exit: false)', () => {
  const handles: ShutdownHandle[] = [];
  afterEach(() => handles.splice(0).forEach((handle) => handle.dispose()));

  it('runs steps in order, awaits each, logs a failing step and goes on', async () => {
    const { logger, lines } = capturedLogger();
    const order: string[] = [];
    const handle = onShutdown(
      [
        { name: 'a', run: () => void order.push('a') },
        { name: 'b', run: async () => { await new Promise((r) => setTimeout(r, 30)); order.push('b'); } },
        { name: 'c', run: () => { order.push('c'); throw new Error('boom'); } },
        { name: 'd', run: async () => void order.push('d') },
      ],
      { logger, exit: false, signals: [] },
    );
    handles.push(handle);
    await handle.shutdown('test');
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    const failure = lines.find((line) => line.msg === 'shutdown step failed');
    expect(failure?.step).toBe('c');
    expect(JSON.stringify(failure?.err)).toContain('boom');
    expect(lines.at(-1)).toMatchObject({ msg: 'shutdown complete', ok: false, reason: 'test' });
  });

  it('runs the steps once however often shutdown is called', async () => {
    let runs = 0;
    const handle = onShutdown([{ name: 'count', run: () => void runs++ }], {
      logger: capturedLogger().logger, exit: false, signals: [],
    });
    handles.push(handle);
    const first = handle.shutdown('one');
    expect(handle.shutdown('two')).toBe(first);
    await first;
    await handle.shutdown('three');
    expect(runs).toBe(1);
  });

  it('gives up on a step that outlives timeoutMs', async () => {
    const { logger, lines } = capturedLogger();
    const handle = onShutdown([{ name: 'hang', run: () => new Promise<void>(() => {}) }], {
      logger, exit: false, signals: [], timeoutMs: 100,
    });
    handles.push(handle);
    const started = performance.now();
    await handle.shutdown('test');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(2000);
    expect(lines.some((line) => line.msg === 'shutdown timed out, exiting')).toBe(true);
  });

  it('starts on a real signal and removes its handlers on dispose', async () => {
    const before = process.listenerCount('SIGUSR2');
    let resolveRan: () => void = () => {};
    const ran = new Promise<void>((resolve) => (resolveRan = resolve));
    const handle = onShutdown([{ name: 'mark', run: () => resolveRan() }], {
      logger: capturedLogger().logger, exit: false, signals: ['SIGUSR2'],
    });
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    process.kill(process.pid, 'SIGUSR2');
    await ran;
    handle.dispose();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});

interface ChildResult {
  code: number | null;
  stdout: string[];
  ms: number;
}

function startFixture(env: Record<string, string>): { child: ChildProcess; done: Promise<ChildResult> } {
  const child = spawn(process.execPath, [fixture], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const started = performance.now();
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const done = new Promise<ChildResult>((resolve) =>
    // 'close', not 'exit': stdout can still hold the last lines (the final log) when 'exit' fires.
    child.on('close', (code) => resolve({ code, stdout: out.split('\n').filter(Boolean), ms: performance.now() - started })),
  );
  return { child, done };
}

function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.split('\n').includes(line)) resolve();
    });
    child.on('exit', () => reject(new Error(`child exited before printing "${line}"; stdout:\n${out}`)));
  });
}

describe('onShutdown in a child process (real SIGTERM, process.exit)', () => {
  beforeAll(() => {
    // the fixture is plain JS and imports the built package
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-b', packageDir], { stdio: 'inherit' });
  });

  it('runs the steps in order on SIGTERM and exits 1 because one failed', async () => {
    const { child, done } = startFixture({ FIXTURE_MODE: 'ordered' });
    await waitForLine(child, 'ready');
    child.kill('SIGTERM');
    const result = await done;
    const steps = result.stdout.filter((line) => line.startsWith('step '));
    expect(steps).toEqual(['step stop-accepting', 'step drain', 'step flush', 'step close']);
    const logs = result.stdout.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    expect(logs.find((log) => log.msg === 'shutdown step failed')).toMatchObject({ step: 'flush', service: 'fixture' });
    expect(logs.at(-1)).toMatchObject({ msg: 'shutdown complete', reason: 'signal SIGTERM' });
    expect(result.code).toBe(1);
  });

  it('exits at once with 128+15 on a second SIGTERM', async () => {
    const { child, done } = startFixture({ FIXTURE_MODE: 'stuck', FIXTURE_TIMEOUT_MS: '30000' });
    await waitForLine(child, 'ready');
    child.kill('SIGTERM');
    await waitForLine(child, 'step stuck');
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(143);
    expect(result.ms).toBeLessThan(10_000);
  });

  it('forces exit 1 when a step outlives timeoutMs', async () => {
    const { child, done } = startFixture({ FIXTURE_MODE: 'stuck', FIXTURE_TIMEOUT_MS: '300' });
    await waitForLine(child, 'ready');
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('step stuck');
    expect(result.stdout.some((line) => line.includes('shutdown timed out'))).toBe(true);
  });
});
