/**
 * Reading another process's /metrics in the Prometheus text format: what scripts, supervisors and
 * tests need to check a service's counters without a Prometheus server.
 */

/** GETs a /metrics URL; throws naming the URL unless it answers 200. */
export async function scrapeMetrics(url: string, timeoutMs = 10_000): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}

/**
 * The sum of a metric's samples over its label sets, keeping only the lines that contain
 * `labelFilter` (e.g. `result="stored"`); NaN when no sample matches.
 */
export function metricSum(text: string, name: string, labelFilter = ''): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!(line.startsWith(`${name}{`) || line.startsWith(`${name} `)) || !line.includes(labelFilter)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? sum : Number.NaN;
}
