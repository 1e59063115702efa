/**
 * Starts a real nats-server (from PATH, e.g. Debian's `nats-server` package) on a free loopback port,
 * with JetStream for the weights object store. Used by `reverie stack up` and by the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NatsServerOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  host?: string;
  /** JetStream storage folder; a fresh temporary one when omitted. */
  storeDir?: string;
  user?: string;
  pass?: string;
  /** HTTP monitoring (/connz, /varz) on this port; 0: a free port; omitted: none. */
  monitorPort?: number;
  /** Executable name or path. */
  bin?: string;
  startTimeoutMs?: number;
}

export interface RunningNatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** `http://host:port` of the monitoring endpoints, when `monitorPort` was given. */
  monitorUrl?: string;
  process: ChildProcess;
  /** SIGTERM, then waits for the process to end. */
  stop(): Promise<void>;
  /** SIGKILL (for fault tests). */
  kill(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host, port }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export async function startNatsServer(opts: NatsServerOptions = {}): Promise<RunningNatsServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port || (await freePort(host));
  const storeDir = opts.storeDir ?? mkdtempSync(join(tmpdir(), 'reverie-nats-'));
  const args = ['-a', host, '-p', String(port), '-js', '-sd', storeDir];
  if (opts.user) args.push('--user', opts.user, '--pass', opts.pass ?? '');
  const monitorPort = opts.monitorPort === undefined ? undefined : opts.monitorPort || (await freePort(host));
  if (monitorPort !== undefined) args.push('-m', String(monitorPort));
  const bin = opts.bin ?? 'nats-server';
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new Error(`could not start ${bin} (install Debian's nats-server package): ${e.message}`))),
  );
  const deadline = Date.now() + (opts.startTimeoutMs ?? 10_000);
  const ready = (async () => {
    while (!(await canConnect(host, port))) {
      if (child.exitCode !== null) throw new Error(`${bin} exited with ${child.exitCode}: ${stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`${bin} did not listen on ${host}:${port} in time: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  await Promise.race([ready, spawnError]);
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url: `nats://${host}:${port}`,
    port,
    storeDir,
    monitorUrl: monitorPort === undefined ? undefined : `http://${host}:${monitorPort}`,
    process: child,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}
