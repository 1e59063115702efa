import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ChildStartError, type ExitInfo, type LogSink } from '../src/stack/child.js';
import { fileSink, prefixedSink } from '../src/stack/logs.js';
import { formatReadyLine, parseReadyLine, ReadyLineError } from '../src/stack/ready.js';
import { Supervisor } from '../src/stack/supervisor.js';
import { tempDirs } from './stack-helpers.js';

/**
 * A stand-in service: logs a line, prints READY after FIX_DELAY_MS (or a bad line, or none), can exit by
 * itself, records SIGTERM in FIX_STOP_FILE before exiting, or ignores SIGTERM.
 */
const FIXTURE = `
const e = process.env;
const name = e.FIX_NAME;
console.error(name + ' starting');
setTimeout(() => {
  if (e.FIX_READY === 'bad') console.log('READY {not json');
  else if (e.FIX_READY !== 'none') console.log('READY ' + JSON.stringify({ service: name, grpc: '127.0.0.1:' + e.FIX_PORT, metrics: 'http://127.0.0.1:' + e.FIX_PORT + '/metrics', extra: 1 }));
}, Number(e.FIX_DELAY_MS || 0));
if (e.FIX_EXIT_AFTER_MS) setTimeout(() => process.exit(Number(e.FIX_EXIT_CODE || 0)), Number(e.FIX_EXIT_AFTER_MS));
process.on('SIGTERM', () => {
  if (e.FIX_IGNORE_TERM) return;
  if (e.FIX_STOP_FILE) require('node:fs').appendFileSync(e.FIX_STOP_FILE, name + '\\n');
  process.exit(0);
});
setInterval(() => {}, 1000);
`;

const dirs = tempDirs('reverie-stack-');
const tempDir = dirs.make;
afterAll(dirs.removeAll);

function spec(name: string, env: Record<string, string> = {}, readyTimeoutMs = 5000) {
  return { name, command: process.execPath, args: ['-e', FIXTURE], env: { ...process.env, FIX_NAME: name, FIX_PORT: '4000', ...env }, readyTimeoutMs };
}

describe('READY lines', () => {
  it('parses the payload and keeps extra fields', () => {
    const info = parseReadyLine(formatReadyLine({ service: 'learner', grpc: '127.0.0.1:5', metrics: 'http://127.0.0.1:6/metrics', replay: 3 }));
    expect(info).toEqual({ service: 'learner', grpc: '127.0.0.1:5', metrics: 'http://127.0.0.1:6/metrics', replay: 3 });
  });

  it('takes a null endpoint as none (an actor may serve no gRPC)', () => {
    expect(parseReadyLine('READY {"service":"actor","grpc":null,"metrics":"http://h:1/metrics"}')).toEqual({ service: 'actor', grpc: undefined, metrics: 'http://h:1/metrics' });
  });

  it('names what is wrong with a bad line', () => {
    expect(() => parseReadyLine('READY {"grpc":1}')).toThrow(/service: .*grpc: /);
    expect(() => parseReadyLine('READY nope')).toThrow(/READY line is not JSON/);
    expect(() => parseReadyLine('ready {}')).toThrow(ReadyLineError);
  });
});

describe('Supervisor', () => {
  let supervisor: Supervisor | null = null;
  afterEach(async () => {
    await supervisor?.stopAll(1000);
    supervisor = null;
  });

  function start(log: LogSink = () => undefined, onUnexpectedExit: (name: string, exit: ExitInfo) => void = () => undefined): Supervisor {
    supervisor = new Supervisor({ log, onUnexpectedExit });
    return supervisor;
  }

  it('waits for READY, returns its payload and passes output lines to the sink, prefixed by name', async () => {
    const lines: string[] = [];
    const s = start(prefixedSink((t) => lines.push(t), 8));
    const info = await s.spawn(spec('alpha', { FIX_DELAY_MS: '100' }), 0).ready;
    expect(info).toMatchObject({ service: 'alpha', grpc: '127.0.0.1:4000', metrics: 'http://127.0.0.1:4000/metrics', extra: 1 });
    expect(lines).toContain('alpha    | alpha starting\n');
    expect(lines.some((l) => l.startsWith('alpha    | READY {'))).toBe(true);
  });

  it('can recognise readiness from another line on either stream (nats-server logs it on stderr)', async () => {
    const s = start();
    const child = s.spawn({ ...spec('logger', { FIX_READY: 'none' }), readyWhen: (line, stream) => (stream === 'stderr' && line.endsWith('starting') ? { service: 'x', url: 'u' } : null) }, 0);
    expect(await child.ready).toEqual({ service: 'x', url: 'u' });
  });

  it('fails start-up with the reason and the last output: timeout, early exit, bad line, missing program', async () => {
    const s = start();
    await expect(s.spawn(spec('slow', { FIX_READY: 'none' }, 300), 0).ready).rejects.toThrow(/slow printed no READY line within 300 ms; its last output:\n {2}slow starting/);
    await expect(s.spawn(spec('crash', { FIX_READY: 'none', FIX_EXIT_AFTER_MS: '50', FIX_EXIT_CODE: '3' }), 0).ready).rejects.toThrow(/crash exited with code 3 before it was ready/);
    await expect(s.spawn(spec('garbled', { FIX_READY: 'bad' }), 0).ready).rejects.toThrow(/garbled printed a bad READY line: READY line is not JSON/);
    const missing = s.spawn({ name: 'ghost', command: '/no/such/program', args: [], readyTimeoutMs: 2000 }, 0);
    await expect(missing.ready).rejects.toThrow(ChildStartError);
    await expect(missing.ready).rejects.toThrow(/ghost could not be started \(\/no\/such\/program\)/);
  });

  it('stops the highest stage first, one stage together, then the stages below', async () => {
    const stopFile = join(await tempDir(), 'stops.txt');
    const s = start();
    const order: string[] = [];
    s.add({ name: 'broker', stop: async () => (order.push('broker'), 'stopped'), kill: () => undefined }, 0);
    const env = { FIX_STOP_FILE: stopFile };
    await Promise.all([s.spawn(spec('server', env), 1).ready, s.spawn(spec('learner', env), 2).ready]);
    await Promise.all([s.spawn(spec('actor-1', env), 3).ready, s.spawn(spec('actor-2', env), 3).ready]);
    const outcomes = await s.stopAll(2000);
    const stopped = (await readFile(stopFile, 'utf8')).trim().split('\n');
    expect(new Set(stopped.slice(0, 2))).toEqual(new Set(['actor-1', 'actor-2']));
    expect(stopped.slice(2)).toEqual(['learner', 'server']);
    expect(order).toEqual(['broker']);
    expect(outcomes.map((o) => o.name)).toEqual([...outcomes.slice(0, 2).map((o) => o.name), 'learner', 'server', 'broker']);
    expect(outcomes.slice(0, 4).every((o) => o.how === 'code 0')).toBe(true);
  });

  it('kills a child that ignores SIGTERM once the timeout has passed', async () => {
    const s = start();
    const child = s.spawn(spec('stubborn', { FIX_IGNORE_TERM: '1' }), 0);
    await child.ready;
    const t0 = Date.now();
    const [outcome] = await s.stopAll(300);
    expect(outcome.how).toBe('signal SIGKILL, killed after 300 ms');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(child.running).toBe(false);
  });

  it('reports a child that exits on its own after READY and keeps the others running', async () => {
    const exits: [string, ExitInfo][] = [];
    const s = start(undefined, (name, exit) => exits.push([name, exit]));
    const steady = s.spawn(spec('steady'), 0);
    const flaky = s.spawn(spec('flaky', { FIX_EXIT_AFTER_MS: '200', FIX_EXIT_CODE: '7' }), 1);
    await Promise.all([steady.ready, flaky.ready]);
    await flaky.exited;
    await new Promise((r) => setTimeout(r, 20));
    expect(exits).toEqual([['flaky', { code: 7, signal: null }]]);
    expect(steady.running).toBe(true);
    const outcomes = await s.stopAll(1000);
    expect(outcomes.find((o) => o.name === 'flaky')?.how).toBe('code 7');
    expect(exits).toHaveLength(1); // the stops it asked for are not news
  });

  it('writes one log file per process with --logs', async () => {
    const dir = await tempDir();
    const logs = fileSink(dir);
    const s = start(logs.sink);
    await s.spawn(spec('writer'), 0).ready;
    await s.stopAll(1000);
    await logs.close();
    const text = await readFile(logs.pathOf('writer'), 'utf8');
    expect(text).toMatch(/^writer starting\nREADY \{"service":"writer"/);
  });
});
