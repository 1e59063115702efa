/**
 * nats-server as a supervised child of the stack. It is spawned here rather than with transport's
 * startNatsServer so that, like every other child, it runs in its own process group: a terminal's
 * Ctrl-C then reaches only `reverie stack up`, which stops NATS last, after the actors.
 */
import { join } from 'node:path';
import { freePort } from '@reverie/transport';
import type { ChildSpec } from './child.js';

/** nats-server logs this (on stderr) once it accepts clients. */
const READY_TEXT = 'Server is ready';

/** A nats-server on a free loopback port with JetStream (the weights object store) under `dataDir/nats`. */
export async function natsServerSpec(dataDir: string, readyTimeoutMs: number, bin = 'nats-server'): Promise<ChildSpec & { url: string }> {
  const host = '127.0.0.1';
  const port = await freePort(host);
  const url = `nats://${host}:${port}`;
  return {
    name: 'nats-server',
    command: bin,
    args: ['-a', host, '-p', String(port), '-js', '-sd', join(dataDir, 'nats')],
    readyTimeoutMs,
    readyWhen: (line) => (line.includes(READY_TEXT) ? { service: 'nats', url } : null),
    url,
  };
}
