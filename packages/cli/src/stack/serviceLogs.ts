/** Logs of services started inside this process, routed like a child's output lines. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@reverie/telemetry';
import type { LogSink } from './child.js';

/** A stream that cuts what is written into lines and hands each to `log` under `name`. */
export function lineStream(name: string, log: LogSink): Writable {
  let partial = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) log(name, 'stdout', line);
      done();
    },
    final(done) {
      if (partial !== '') log(name, 'stdout', partial);
      done();
    },
  });
}

/** A service's JSON logger whose lines go to the stack's log sink (never to stdout, which carries READY). */
export function serviceLogger(service: string, name: string, log: LogSink): Logger {
  return createLogger({ service, destination: lineStream(name, log) });
}
