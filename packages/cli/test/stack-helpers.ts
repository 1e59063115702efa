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

/** Reading /metrics: the same helpers the services' tests use. */
export { metricSum, scrapeMetrics as scrape } from '@reverie/telemetry';

/** The first stdout line starting `READY `, parsed; undefined until there is one. */
export function readyPayload<T>(stdout: string): T | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('READY '));
  return line === undefined ? undefined : (JSON.parse(line.slice('READY '.length)) as T);
}
