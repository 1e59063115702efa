import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface ServeMetricsOptions {
  registry: Registry;
  /** Interface to bind; 127.0.0.1 by default, `0.0.0.0` to let Prometheus scrape a pod. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Drives /readyz; always ready when omitted. */
  ready?: () => boolean;
}

export interface MetricsServer {
  /** `http://host:port/metrics` */
  url: string;
  port: number;
  close(): Promise<void>;
}

type Reply = { status: number; contentType: string; body: string };

const TEXT = 'text/plain; charset=utf-8';

function text(status: number, body: string): Reply {
  return { status, contentType: TEXT, body };
}

function isReady(ready: (() => boolean) | undefined): boolean {
  if (!ready) return true;
  try {
    return ready();
  } catch {
    return false; // a readiness probe that throws means "not ready", not a crashed server
  }
}

async function route(req: IncomingMessage, opts: ServeMetricsOptions): Promise<Reply> {
  let path: string;
  try {
    path = new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return text(400, 'bad request url\n');
  }
  const known = path === '/metrics' || path === '/healthz' || path === '/readyz';
  if (!known) return text(404, 'not found\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed\n');
  if (path === '/healthz') return text(200, 'ok\n');
  if (path === '/readyz') return isReady(opts.ready) ? text(200, 'ready\n') : text(503, 'not ready\n');
  try {
    const body = await opts.registry.metrics();
    return { status: 200, contentType: opts.registry.contentType, body };
  } catch (err) {
    return text(500, `collecting metrics failed: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

function handle(req: IncomingMessage, res: ServerResponse, opts: ServeMetricsOptions): void {
  route(req, opts).then(
    (reply) => {
      res.writeHead(reply.status, { 'content-type': reply.contentType, allow: 'GET, HEAD' });
      res.end(reply.body);
    },
    () => {
      res.writeHead(500, { 'content-type': TEXT });
      res.end('internal error\n');
    },
  );
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) =>
      reject(new Error(`metrics server cannot listen on ${host}:${port}: ${err.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('metrics server has no TCP address'));
      else resolve(address);
    });
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host; // IPv6 literals need brackets in a URL
}

/**
 * Serves GET /metrics (Prometheus text), /healthz (always 200) and /readyz (200 or 503 by
 * `ready`) over node:http; every other path is 404. A bad request never crashes the server.
 */
export async function serveMetrics(opts: ServeMetricsOptions): Promise<MetricsServer> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => handle(req, res, opts));
  const address = await listen(server, host, opts.port ?? 0);
  return {
    url: `http://${urlHost(host)}:${address.port}/metrics`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // keep-alive scrapers must not hold shutdown open
      }),
  };
}
