export interface Measurement {
  name: string;
  /** Median operations per second over the repetitions. */
  opsPerSecond: number;
  /** Every repetition's ops/s, for judging the noise. */
  samples: number[];
}

/**
 * Times `run(batch)` (which performs `batch` operations) until at least `minSeconds` pass, `reps` times
 * after one warm-up, and reports the median rate: these machines are noisy, the median is robust.
 */
export function measure(name: string, batch: number, run: (batch: number) => void, reps: number, minSeconds: number): Measurement {
  run(batch); // warm-up: lets the JIT optimise before timing
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    let ops = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    do {
      run(batch);
      ops += batch;
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    } while (elapsed < minSeconds);
    samples.push(ops / elapsed);
  }
  return { name, opsPerSecond: median(samples), samples };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
