/** Where the stack's child output goes: prefixed onto one stream, or one file per process. */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { LogSink } from './child.js';

/** Every line as `name | line`, names padded to `width` so the columns line up. */
export function prefixedSink(write: (text: string) => void, width = 14): LogSink {
  return (name, _stream, line) => write(`${name.padEnd(width)} | ${line}\n`);
}

export interface FileLogs {
  sink: LogSink;
  /** The file a process's lines go to. */
  pathOf(name: string): string;
  close(): Promise<void>;
}

/** One append-only `<name>.log` per process under `dir` (stdout and stderr interleaved as they come). */
export function fileSink(dir: string): FileLogs {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, WriteStream>();
  const pathOf = (name: string): string => join(dir, `${name}.log`);
  const sink: LogSink = (name, _stream, line) => {
    let f = files.get(name);
    if (!f) {
      f = createWriteStream(pathOf(name), { flags: 'a' });
      files.set(name, f);
    }
    f.write(`${line}\n`);
  };
  const close = async (): Promise<void> => {
    await Promise.all([...files.values()].map((f) => new Promise<void>((resolve) => f.end(() => resolve()))));
    files.clear();
  };
  return { sink, pathOf, close };
}
