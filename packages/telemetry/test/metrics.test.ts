import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { register as globalRegistry } from 'prom-client';
import {
  BYTES_BUCKETS,
  Counter,
  createMetricsRegistry,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  RETURN_BUCKETS,
  serveMetrics,
  type MetricsServer,
} from '../src/index.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(...args: Parameters<typeof serveMetrics>): Promise<MetricsServer> {
  const server = await serveMetrics(...args);
  servers.push(server);
  return server;
}

function sampleLine(body: string, name: string): string | undefined {
  return body.split('\n').find((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

/** Sends raw bytes and returns the raw response, for requests fetch refuses to make. */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk.toString('utf8')));
    socket.on('end', () => resolve(reply));
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
  });
}

describe('serveMetrics over real HTTP', () => {
  it('serves a counter with the service and default labels, plus process metrics', async () => {
    const registry = createMetricsRegistry({ service: 'actor', defaultLabels: { component: 'rollout' } });
    const steps = new Counter({ name: 'reverie_test_env_steps_total', help: 'steps', registers: [registry] });
    steps.inc(41);
    steps.inc();
    const server = await serve({ registry });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);

    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(registry.contentType);
    const body = await res.text();
    const line = sampleLine(body, 'reverie_test_env_steps_total');
    expect(line).toMatch(/ 42$/);
    expect(line).toContain('service="actor"');
    expect(line).toContain('component="rollout"');
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      expect(sampleLine(body, name), name).toContain('service="actor"');
    }
  });

  it('keeps registries apart and leaves the global registry alone', async () => {
    const a = createMetricsRegistry({ service: 'a', collectDefault: false });
    const b = createMetricsRegistry({ service: 'b', collectDefault: false });
    new Counter({ name: 'reverie_test_only_a_total', help: 'a', registers: [a] }).inc();
    expect(await a.metrics()).toContain('reverie_test_only_a_total');
    expect(await b.metrics()).not.toContain('reverie_test_only_a_total');
    expect(await b.metrics()).not.toContain('process_cpu_user_seconds_total');
    expect(globalRegistry.getSingleMetric('reverie_test_only_a_total')).toBeUndefined();
  });

  it('answers /healthz, flips /readyz with ready(), 404s unknown paths, 405s other methods', async () => {
    let ready = false;
    const registry = createMetricsRegistry({ service: 'learner', collectDefault: false });
    const server = await serve({ registry, ready: () => ready });
    const base = `http://127.0.0.1:${server.port}`;

    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics?debug=1`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('survives a throwing ready(), a failing collector and a malformed request', async () => {
    const registry = createMetricsRegistry({ service: 'model-server', collectDefault: false });
    const server = await serve({ registry, ready: () => { throw new Error('probe broke'); } });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);

    expect(await rawRequest(server.port, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);

    const broken = new Counter({
      name: 'reverie_test_broken_total', help: 'x', registers: [registry],
      collect() { throw new Error('collector broke'); },
    });
    broken.inc();
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('collector broke');
    registry.removeSingleMetric('reverie_test_broken_total');
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
  });

  it('closes promptly with a keep-alive connection open, and reports a port in use', async () => {
    const registry = createMetricsRegistry({ service: 'x', collectDefault: false });
    const server = await serveMetrics({ registry });
    await expect(serveMetrics({ registry, port: server.port })).rejects.toThrow(
      `metrics server cannot listen on 127.0.0.1:${server.port}`,
    );
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(fetch(server.url)).rejects.toThrow();
  });
});

describe('bucket helpers', () => {
  const ascending = (values: number[]) => values.every((v, i) => i === 0 || v > values[i - 1]);

  it('are ascending, span the documented ranges and cannot be changed', () => {
    expect(ascending(LATENCY_BUCKETS_SECONDS)).toBe(true);
    expect([LATENCY_BUCKETS_SECONDS[0], LATENCY_BUCKETS_SECONDS.at(-1)]).toEqual([0.00005, 10]);
    expect(ascending(RETURN_BUCKETS)).toBe(true);
    expect([RETURN_BUCKETS[0], RETURN_BUCKETS.at(-1)]).toEqual([-2000, 1000]);
    expect(RETURN_BUCKETS).toEqual(expect.arrayContaining([0, 1, 475, 500]));
    expect(ascending(BYTES_BUCKETS)).toBe(true);
    expect([BYTES_BUCKETS[0], BYTES_BUCKETS.at(-1)]).toEqual([256, 2 ** 30]);
    expect(() => LATENCY_BUCKETS_SECONDS.push(20)).toThrow(TypeError);
  });

  it('work as prom-client histogram buckets', async () => {
    const registry = createMetricsRegistry({ service: 'learner', collectDefault: false });
    const latency = new Histogram({
      name: 'reverie_test_step_seconds', help: 'x', buckets: LATENCY_BUCKETS_SECONDS, registers: [registry],
    });
    latency.observe(0.0003);
    const body = await registry.metrics();
    expect(body).toMatch(/reverie_test_step_seconds_bucket\{le="0\.00025",service="learner"\} 0/);
    expect(body).toMatch(/reverie_test_step_seconds_bucket\{le="0\.0005",service="learner"\} 1/);
  });
});
