import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseStackUpOptions, runStackUp, type StopControl } from '../src/commands/stack.js';
import { bufferIO } from '../src/io.js';
import { runCli } from '../src/program.js';
import { readyPayload, tempDirs, until } from './stack-helpers.js';

/**
 * A stand-in service entry (services/<name>/dist/main.js): logs its REVERIE_* settings, listens on a
 * free loopback port, prints READY with it, records SIGTERM in $FIX_STOP_FILE, and crashes when
 * $FIX_CRASH names it.
 */
const SERVICE = (service: string) => `
const net = require('node:net');
const fs = require('node:fs');
const name = process.env.REVERIE_ACTOR_ID || ${JSON.stringify(service)};
const settings = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('REVERIE_')));
console.error('ENV ' + JSON.stringify(settings));
const server = net.createServer().listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  console.log('READY ' + JSON.stringify({ service: ${JSON.stringify(service)}, grpc: '127.0.0.1:' + port, metrics: 'http://127.0.0.1:' + port + '/metrics' }));
  if (process.env.FIX_CRASH === name) setTimeout(() => process.exit(5), 200);
});
process.on('SIGTERM', () => {
  fs.appendFileSync(process.env.FIX_STOP_FILE, name + '\\n');
  process.exit(0);
});
`;
const FAILING = `console.error('cannot open the weight store: disk full'); process.exit(2);`;

const dirs = tempDirs('reverie-stackup-');
const tempDir = dirs.make;
afterAll(dirs.removeAll);

// Stacks a failed assertion left running: stopped after each test so no process outlives the run.
const started: { stop(reason: string): void; running: Promise<void> }[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    s.stop('test cleanup');
    await s.running.catch(() => undefined);
  }
  delete process.env.FIX_STOP_FILE;
  delete process.env.FIX_CRASH;
});

async function fixtureServices(overrides: Record<string, string> = {}): Promise<string> {
  const root = await tempDir();
  for (const name of ['model-server', 'learner', 'actor']) {
    await mkdir(join(root, name, 'dist'), { recursive: true });
    await writeFile(join(root, name, 'dist', 'main.js'), overrides[name] ?? SERVICE(name));
  }
  return root;
}

function canConnect(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const sock = createConnection({ host: hostname, port: Number(port) }, () => (sock.destroy(), resolve(true)));
    sock.once('error', () => resolve(false));
  });
}

function control(): StopControl & { stop(reason: string): void } {
  const c = new AbortController();
  return { signal: c.signal, onForce: () => undefined, stop: (reason) => c.abort(reason) };
}

interface StackReady {
  nats: string;
  modelServer: { grpc: string; metrics: string; pid: number };
  learner: { grpc: string; metrics: string; pid: number };
  actors: { name: string; grpc: string; metrics: string; pid: number }[];
}

/** Waits for the READY line on the (buffered) stdout and parses it. */
async function awaitReady(stdout: () => string): Promise<StackReady> {
  await until('the READY line', () => readyPayload(stdout()) !== undefined, 20_000);
  return readyPayload<StackReady>(stdout())!;
}

describe('reverie stack up (with stand-in services and a real nats-server)', () => {
  it('starts in order, wires each READY address into the next service, prints READY, stops in reverse order', async () => {
    const servicesDir = await fixtureServices();
    const dataDir = await tempDir();
    process.env.FIX_STOP_FILE = join(dataDir, 'stops.txt');
    process.env.FIX_CRASH = 'actor-3';
    const io = bufferIO();
    const stop = control();
    const config = parseStackUpOptions({ actors: '3', envsPerActor: '2', workersPerActor: '1', env: 'CartPole-v1', algo: 'dqn', dataDir, seed: '0', readyTimeoutMs: '10000', stopTimeoutMs: '3000', servicesDir }, {});
    const running = runStackUp(config, io, stop);
    started.push({ stop: stop.stop, running });
    const ready = await awaitReady(() => io.out.join(''));
    expect(ready.nats).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(await canConnect(ready.nats)).toBe(true);
    expect(ready.actors.map((a) => a.name)).toEqual(['actor-1', 'actor-2', 'actor-3']);
    for (const ep of [ready.modelServer, ready.learner, ...ready.actors]) {
      expect(ep.grpc).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(ep.metrics).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(ep.pid).toBeGreaterThan(0);
    }
    const table = io.out.join('');
    expect(table).toContain(ready.modelServer.grpc);
    expect(table).toContain(ready.learner.metrics);

    // Each service's settings, as it logged them (stderr lines prefixed with its name).
    const settingsOf = (name: string): Record<string, string> => {
      const line = io.err.join('').split('\n').find((l) => l.startsWith(`${name.padEnd(14)} | ENV `));
      return JSON.parse(line!.slice(line!.indexOf('ENV ') + 4)) as Record<string, string>;
    };
    expect(settingsOf('model-server')).toMatchObject({ REVERIE_NATS__URL: ready.nats, REVERIE_STORE_DIR: join(dataDir, 'model-server'), REVERIE_GRPC_PORT: '0', REVERIE_METRICS_PORT: '0', REVERIE_DEFAULT_POLICY: 'cartpole-v1-dqn' });
    expect(settingsOf('learner')).toMatchObject({ REVERIE_MODEL_SERVER: ready.modelServer.grpc, REVERIE_ENV: 'CartPole-v1', REVERIE_ALGO: 'dqn', REVERIE_POLICY: 'cartpole-v1-dqn', REVERIE_CHECKPOINT_DIR: join(dataDir, 'learner') });
    expect(settingsOf('learner').REVERIE_MODEL_SERVER_TOKEN).toBe(settingsOf('model-server').REVERIE_TOKEN);
    expect(settingsOf('learner').REVERIE_TOKEN).toBeUndefined(); // the learner's own token guards LearnerService; not set here
    expect(settingsOf('actor-2')).toMatchObject({
      REVERIE_ACTOR_ID: 'actor-2',
      REVERIE_LEARNER__ADDRESS: ready.learner.grpc,
      REVERIE_MODEL_SERVER__ADDRESS: ready.modelServer.grpc,
      REVERIE_NATS__URL: ready.nats,
      REVERIE_NUM_ENVS: '2',
      REVERIE_WORKERS: '1',
      REVERIE_POLICY: 'cartpole-v1-dqn',
    });

    // actor-3 crashes after READY: reported with its code, the others keep running.
    await until('the crash report', () => io.err.join('').includes('actor-3 exited unexpectedly with code 5'), 5000);
    stop.stop('received SIGTERM');
    await running;
    const stops = (await readFile(process.env.FIX_STOP_FILE, 'utf8')).trim().split('\n');
    expect(new Set(stops.slice(0, 2))).toEqual(new Set(['actor-1', 'actor-2']));
    expect(stops.slice(2)).toEqual(['learner', 'model-server']);
    const notices = io.err.join('');
    expect(notices).toMatch(/received SIGTERM: stopping actors, learner, model-server, then nats-server/);
    expect(notices).toMatch(/nats-server stopped/);
    expect(notices.indexOf('model-server stopped')).toBeLessThan(notices.indexOf('nats-server stopped'));
    expect(await canConnect(ready.nats)).toBe(false);
  });

  it('fails with a clear message when the model-server cannot start, and stops NATS again', async () => {
    const servicesDir = await fixtureServices({ 'model-server': FAILING });
    const dataDir = await tempDir();
    const io = bufferIO();
    const code = await runCli(['stack', 'up', '--services-dir', servicesDir, '--data-dir', dataDir, '--ready-timeout-ms', '10000'], io);
    expect(code).toBe(1);
    const err = io.err.join('');
    expect(err).toMatch(/the stack cannot run without the model-server: model-server exited with code 2 before it was ready; its last output:\n {2}cannot open the weight store: disk full/);
    expect(err).not.toMatch(/^learner +\|/m); // nothing after the model-server was started
    const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(processes).not.toContain(join(dataDir, 'nats'));
  });

  it('writes child logs to DATA_DIR/logs with --logs and uses --nats-url instead of starting nats-server', async () => {
    const servicesDir = await fixtureServices();
    const dataDir = await tempDir();
    process.env.FIX_STOP_FILE = join(dataDir, 'stops.txt');
    const io = bufferIO();
    const stop = control();
    const config = parseStackUpOptions({ actors: '1', envsPerActor: '1', workersPerActor: '2', env: 'CartPole-v1', algo: 'dqn', dataDir, logs: true, seed: '0', readyTimeoutMs: '10000', stopTimeoutMs: '3000', servicesDir }, { NATS_URL: 'nats://127.0.0.1:4999' });
    const running = runStackUp(config, io, stop);
    started.push({ stop: stop.stop, running });
    expect((await awaitReady(() => io.out.join(''))).nats).toBe('nats://127.0.0.1:4999');
    stop.stop('test done');
    await running;
    expect(await readFile(join(dataDir, 'logs', 'learner.log'), 'utf8')).toContain('REVERIE_MODEL_SERVER');
    const actorLog = await readFile(join(dataDir, 'logs', 'actor-1.log'), 'utf8');
    expect(actorLog).toContain('"REVERIE_NATS__URL":"nats://127.0.0.1:4999"');
    expect(actorLog).toContain('"REVERIE_WORKERS":"1"'); // capped at the actor's one env
    expect(io.err.join('')).not.toMatch(/ENV /);
    expect(io.err.join('')).not.toMatch(/nats-server stopped/);
  });

  it('runs as the real command: READY on stdout; Ctrl-C (SIGINT to its process group) stops it in order, exit 0', async () => {
    const servicesDir = await fixtureServices();
    const dataDir = await tempDir();
    const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const cli = spawn(process.execPath, [main, 'stack', 'up', '--actors', '1', '--services-dir', servicesDir, '--data-dir', dataDir], {
      env: { ...process.env, FIX_STOP_FILE: join(dataDir, 'stops.txt') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, as a shell gives a foreground job
    });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    await awaitReady(() => stdout);
    process.kill(-cli.pid!, 'SIGINT'); // what a terminal's Ctrl-C does: the whole foreground group
    expect(await exited).toBe(0);
    expect((await readFile(join(dataDir, 'stops.txt'), 'utf8')).trim().split('\n')).toEqual(['actor-1', 'learner', 'model-server']);
    expect(stderr).toMatch(/received SIGINT: stopping actors/);
    // Children run in their own groups: none saw the SIGINT itself, so NATS went last, on request.
    expect(stderr).not.toMatch(/exited unexpectedly/);
    expect(stderr.indexOf('model-server stopped')).toBeLessThan(stderr.indexOf('nats-server stopped'));
  });

  it('rejects bad options by name', async () => {
    const io = bufferIO();
    expect(await runCli(['stack', 'up', '--actors', '0', '--algo', 'ppo', '--nats-url', 'localhost'], io)).toBe(2);
    const err = io.err.join('');
    expect(err).toMatch(/--actors must be a whole number >= 1/);
    expect(err).toMatch(/--algo must be one of dqn/);
    expect(err).toMatch(/--nats-url must be a NATS URL/);
  });
});
