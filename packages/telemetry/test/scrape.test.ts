import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, createMetricsRegistry, metricSum, scrapeMetrics, serveMetrics, type MetricsServer } from '../src/index.js';

describe('reading /metrics', () => {
  let server: MetricsServer;
  beforeAll(async () => {
    const registry = createMetricsRegistry({ service: 'probe' });
    const chunks = new Counter({ name: 'probe_chunks_total', help: 'chunks', labelNames: ['result'], registers: [registry] });
    chunks.inc({ result: 'stored' }, 5);
    chunks.inc({ result: 'duplicate' }, 2);
    server = await serveMetrics({ registry, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sums a metric over its label sets, or over those that match a filter', async () => {
    const text = await scrapeMetrics(server.url);
    expect(metricSum(text, 'probe_chunks_total')).toBe(7);
    expect(metricSum(text, 'probe_chunks_total', 'result="stored"')).toBe(5);
    expect(metricSum(text, 'probe_chunks')).toBeNaN(); // a prefix is not the metric
    expect(metricSum(text, 'probe_chunks_total', 'result="rejected"')).toBeNaN();
  });

  it('names the URL when it does not answer 200', async () => {
    await expect(scrapeMetrics(server.url.replace('/metrics', '/nothing-here'))).rejects.toThrow(/nothing-here answered 404/);
  });
});
