import { constants } from 'node:os';
import { createLogger, type Logger } from './logger.js';

export interface ShutdownStep {
  /** Named in the logs. */
  name: string;
  run: () => Promise<void> | void;
}

export interface ShutdownOptions {
  /** Where step progress and failures are logged; a logger with service "shutdown" otherwise. */
  logger?: Logger;
  /** After this long the process exits even if a step is still running (default 10000). */
  timeoutMs?: number;
  /** Default SIGTERM and SIGINT. */
  signals?: NodeJS.Signals[];
  /** Call process.exit when done, on timeout and on a second signal (default true). */
  exit?: boolean;
}

export interface ShutdownHandle {
  /** Runs the steps once; later calls return the same promise. */
  shutdown(reason: string): Promise<void>;
  /** Removes the signal handlers. */
  dispose(): void;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;

/** Runs every step in order; a failing step is logged and the next one still runs. */
async function runSteps(steps: readonly ShutdownStep[], log: Logger): Promise<boolean> {
  let allOk = true;
  for (const step of steps) {
    const started = performance.now();
    try {
      await step.run();
      log.info({ step: step.name, ms: Math.round(performance.now() - started) }, 'shutdown step done');
    } catch (err) {
      allOk = false;
      log.error({ step: step.name, err }, 'shutdown step failed');
    }
  }
  return allOk;
}

/** Resolves with false after `ms`, unless cancelled first. */
function deadline(ms: number): { expired: Promise<false>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return { expired, cancel: () => clearTimeout(timer) };
}

/**
 * Runs `steps` in order on the first of `signals` (or a call to `shutdown`), then exits:
 * code 0 when every step succeeded, 1 when one failed or `timeoutMs` passed first.
 * A second signal exits at once with 128 + the signal number.
 */
export function onShutdown(steps: ShutdownStep[], opts: ShutdownOptions = {}): ShutdownHandle {
  const log = opts.logger ?? createLogger({ service: 'shutdown' });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const exit = opts.exit ?? true;
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  let running: Promise<void> | undefined;

  const finish = (code: number): void => {
    if (exit) process.exit(code);
  };

  const shutdown = (reason: string): Promise<void> => {
    running ??= (async () => {
      log.info({ reason, steps: steps.map((step) => step.name) }, 'shutting down');
      const timer = deadline(timeoutMs);
      const outcome = await Promise.race([runSteps(steps, log).then((ok) => ({ ok })), timer.expired]);
      timer.cancel();
      if (outcome === false) log.error({ reason, timeoutMs }, 'shutdown timed out, exiting');
      else log.info({ reason, ok: outcome.ok }, 'shutdown complete');
      finish(outcome !== false && outcome.ok ? EXIT_OK : EXIT_FAILED);
    })();
    return running;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (!running) {
      void shutdown(`signal ${signal}`);
      return;
    }
    log.warn({ signal }, 'second signal during shutdown, exiting now');
    finish(128 + (constants.signals[signal] ?? 0));
  };

  for (const signal of signals) process.on(signal, onSignal);
  return {
    shutdown,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
