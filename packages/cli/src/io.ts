/** Where a command writes: results to stdout, diagnostics to stderr, the progress bar to a TTY. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Stream for the progress bar; null or a non-TTY stream disables it. */
  progressStream: NodeJS.WriteStream | null;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    progressStream: process.stderr,
  };
}

/** An IO that records everything (tests, embedding). */
export function bufferIO(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    progressStream: null,
  };
}
