/**
 * One supervised child process: its output split into lines for the log sink, its READY handshake
 * awaited with a timeout, its exit observed, and a stop that escalates from SIGTERM to SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isReadyLine, parseReadyLine, type ReadyInfo } from './ready.js';

/** Where a child's output lines go. */
export type LogSink = (name: string, stream: 'stdout' | 'stderr', line: string) => void;

export interface ChildSpec {
  /** Short name for logs and messages, e.g. "actor-1". */
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long to wait for the READY line. */
  readyTimeoutMs: number;
  /**
   * Recognises the line that says the process is ready, returning its payload (null: not this line;
   * throw: a bad ready line). Default: a `READY {json}` line on stdout.
   */
  readyWhen?: (line: string, stream: 'stdout' | 'stderr') => ReadyInfo | null;
}

/** The Reverie handshake: `READY {json}` on stdout. */
export function readyLineOnStdout(line: string, stream: 'stdout' | 'stderr'): ReadyInfo | null {
  return stream === 'stdout' && isReadyLine(line) ? parseReadyLine(line) : null;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The child failed before it printed a valid READY line: the message says why and quotes its last output. */
export class ChildStartError extends Error {
  override name = 'ChildStartError';
}

const TAIL_LINES = 15;

/** "code 3" or "signal SIGKILL". */
export function describeExit(exit: ExitInfo): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `code ${exit.code}`;
}

export class ManagedChild {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves with the READY payload; rejects with ChildStartError (timeout, early exit, bad line, spawn failure). */
  readonly ready: Promise<ReadyInfo>;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** True once stop() was called: an exit after that is expected. */
  stopping = false;
  private readonly tail: string[] = [];

  constructor(spec: ChildSpec, log: LogSink) {
    this.name = spec.name;
    // Its own process group: a terminal's Ctrl-C reaches only the supervisor, which then stops children in order.
    this.process = spawn(spec.command, [...spec.args], { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => resolve({ code, signal }));
      // A failed spawn emits 'error' and never 'exit'.
      this.process.once('error', () => resolve({ code: null, signal: null }));
    });
    this.ready = this.awaitReady(spec, log);
    // Callers may never look at `ready` (e.g. when an earlier child failed); a rejection is still reported through them.
    this.ready.catch(() => undefined);
  }

  private awaitReady(spec: ChildSpec, log: LogSink): Promise<ReadyInfo> {
    return new Promise<ReadyInfo>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const fail = (why: string): void => settle(() => reject(new ChildStartError(`${this.name} ${why}${this.tailText()}`)));
      const timer = setTimeout(() => fail(`printed no READY line within ${spec.readyTimeoutMs} ms`), spec.readyTimeoutMs);
      const readyWhen = spec.readyWhen ?? readyLineOnStdout;
      const check = (stream: 'stdout' | 'stderr') => (line: string) => {
        if (settled) return;
        try {
          const info = readyWhen(line, stream);
          if (info !== null) settle(() => resolve(info));
        } catch (e) {
          fail(`printed a bad READY line: ${(e as Error).message}`);
        }
      };
      this.lines('stdout', log, check('stdout'));
      this.lines('stderr', log, check('stderr'));
      this.process.once('error', (e) => fail(`could not be started (${spec.command}): ${e.message}`));
      // 'close' comes after the output streams ended, so a READY line printed just before exiting still counts.
      this.process.once('close', (code: number | null, signal: NodeJS.Signals | null) =>
        fail(`exited with ${describeExit({ code, signal })} before it was ready`),
      );
    });
  }

  private lines(stream: 'stdout' | 'stderr', log: LogSink, onLine: (line: string) => void): void {
    const source = this.process[stream];
    if (!source) return;
    createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => {
      this.tail.push(line);
      if (this.tail.length > TAIL_LINES) this.tail.shift();
      log(this.name, stream, line);
      onLine(line);
    });
  }

  private tailText(): string {
    return this.tail.length === 0 ? ' (it printed nothing)' : `; its last output:\n  ${this.tail.join('\n  ')}`;
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null && this.process.pid !== undefined;
  }

  /** SIGTERM, then SIGKILL when it has not exited within `timeoutMs`. Resolves with how it ended. */
  async stop(timeoutMs: number): Promise<ExitInfo & { killed: boolean }> {
    this.stopping = true;
    if (!this.running) return { ...(await this.exited), killed: false };
    this.process.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const first = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (first !== 'timeout') return { ...first, killed: false };
    this.process.kill('SIGKILL');
    return { ...(await this.exited), killed: true };
  }

  /** Last resort when the supervisor itself is going away: SIGKILL without waiting. */
  killNow(): void {
    if (this.running) this.process.kill('SIGKILL');
  }
}
