import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';

export type { Logger };

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  /** Bound as `service` on every line so logs from many pods can be told apart. */
  service: string;
  level?: LogLevel;
  /** Where JSON lines go; stdout (synchronous) when omitted. */
  destination?: NodeJS.WritableStream;
}

/**
 * A pino logger writing one JSON object per line, with `service`, `pid` and `hostname`
 * on every line, the level as a label ("info", not 30) and ISO timestamps.
 */
export function createLogger(opts: LoggerOptions): Logger {
  if (!opts.service) throw new Error('createLogger: `service` must be a non-empty string');
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    base: { service: opts.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  // pino's own stdout default writes asynchronously, so a line logged just before process.exit (say
  // 'shutdown complete') could be lost; log lines are few and never on a hot path, so write them at once.
  return pino(options, opts.destination ?? pino.destination({ dest: 1, sync: true }));
}
