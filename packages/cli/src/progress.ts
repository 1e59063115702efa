import cliProgress from 'cli-progress';

/** A counter shown to the user while a long job runs. */
export interface Progress {
  /** Advances by `n` (default 1). */
  tick(n?: number): void;
  stop(): void;
}

const silent: Progress = { tick() {}, stop() {} };

export interface ProgressOptions {
  /** Where the bar is drawn; default stderr, so stdout stays clean for results. */
  stream?: NodeJS.WriteStream;
  /** Defaults to whether `stream` is a TTY: no bar in pipes, logs or CI. */
  enabled?: boolean;
  /** Shown before the bar, e.g. "Taxi-v3". */
  label?: string;
  /** What one tick counts, shown after the numbers (default "episodes"). */
  unit?: string;
}

/** A cli-progress bar on stderr, or a no-op when the stream is not a terminal. */
export function createProgress(total: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? stream.isTTY === true;
  if (!enabled || total <= 0) return silent;
  const label = options.label ? `${options.label} ` : '';
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label}[{bar}] {percentage}% | {value}/{total} ${options.unit ?? 'episodes'} | {duration_formatted} elapsed | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 200,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let value = 0;
  return {
    tick(n = 1) {
      value += n;
      bar.update(value);
    },
    stop() {
      bar.stop();
    },
  };
}
