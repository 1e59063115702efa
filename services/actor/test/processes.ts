/** Real service processes for the fault tests: started up to their READY line, polled, scraped, killed. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServiceProcess {
  child: ChildProcess;
  /** The JSON after `READY ` on stdout. */
  ready: Record<string, string>;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** Settles when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every process started here, so that a failing test still ends all of them. */
export class Processes {
  private readonly started: ServiceProcess[] = [];

  /** `node <entry> ...args`; resolves once it prints READY, rejects if it exits first or takes over `timeoutMs`. */
  start(entry: string, args: string[], timeoutMs = 30_000): Promise<ServiceProcess> {
    const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const service: ServiceProcess = { child, ready: {}, output: () => out, exited };
    this.started.push(service);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${entry} printed no READY within ${timeoutMs} ms:\n${out}`)), timeoutMs);
      const onData = (): void => {
        const line = out.split('\n').find((l) => l.startsWith('READY '));
        if (line === undefined) return;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        service.ready = JSON.parse(line.slice('READY '.length)) as Record<string, string>;
        resolve(service);
      };
      child.stdout?.on('data', onData);
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`${entry} exited (${code ?? signal}) before READY:\n${out}`));
      });
    });
  }

  /** SIGKILLs every process still running and waits for each to exit. */
  async killAll(): Promise<void> {
    for (const p of this.started.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }
  }
}

/** Polls `probe` every 25 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export { metricSum, scrapeMetrics as scrape } from '@reverie/telemetry';
