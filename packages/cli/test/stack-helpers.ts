/** Shared by the stack and simulate tests: temporary folders, polling, reading /metrics. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Temporary folders named `<prefix>…`, removed together by `removeAll`. */
export function tempDirs(prefix: string): { make(): Promise<string>; removeAll(): Promise<void> } {
  const made: string[] = [];
  return {
    make: async () => {
      const d = await mkdtemp(join(tmpdir(), prefix));
      made.push(d);
      return d;
    },
    removeAll: async () => {
      for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` every 20 ms until it is true; throws naming `what` after `timeoutMs`. */
export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The sum of a metric's samples over all its label sets in Prometheus text (NaN when absent). */
export function metricSum(text: string, name: string): number {
  const values = [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].map((m) => Number(m[1]));
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0);
}

/** GET a /metrics URL; throws unless it answers 200. */
export async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}

/** The first stdout line starting `READY `, parsed; undefined until there is one. */
export function readyPayload<T>(stdout: string): T | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('READY '));
  return line === undefined ? undefined : (JSON.parse(line.slice('READY '.length)) as T);
}
