/**
 * Acting throughput of the plain-TS policy (@reverie/policy) against the tfjs QNetwork it is exported
 * from, in one run and on the same inputs: a 4→64→64→2 ReLU MLP at batch 1, 16, 256 and 4096.
 *
 *   npx tsc -b packages/agents/bench && node packages/agents/bench/dist/policy-forward.js [--reps 7] [--min-seconds 0.3] [--backend wasm]
 *
 * It lives in @reverie/agents because that is the one package that can import both sides.
 * Reports median rows (observations) per CPU-second over the repetitions. A third column is a bare
 * i-k-j loop forward pass over the same weights (no argmax, no checks): the textbook kernel, kept as
 * the baseline that the policy's register-tiled kernel has to beat.
 */
import { npRandom } from '@reverie/core';
import { describeBackend, initBackend, type BackendChoice } from '@reverie/nn';
import { decodePolicy } from '@reverie/policy';
import { QNetwork, qNetworkPolicyWeights } from '@reverie/agents';

const SIZES = [4, 64, 64, 2];
const BATCHES = [1, 16, 256, 4096];

/** The textbook i-k-j dense layer: the inner loop runs over a contiguous row of W and of y; zero inputs (ReLU's) skip their row. */
function ikjDense(x: Float32Array, rows: number, nIn: number, w: Float32Array, b: Float32Array, nOut: number, y: Float32Array): void {
  for (let i = 0; i < rows; i++) {
    const xi = i * nIn;
    const yi = i * nOut;
    for (let j = 0; j < nOut; j++) y[yi + j] = b[j];
    for (let k = 0; k < nIn; k++) {
      const a = x[xi + k];
      if (a === 0) continue;
      const wk = k * nOut;
      for (let j = 0; j < nOut; j++) y[yi + j] += a * w[wk + j];
    }
  }
}

function relu(y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) if (y[i] < 0) y[i] = 0;
}

/** The whole forward pass with `ikjDense`, ReLU hidden layers, into reused buffers. */
function bareIkjForward(weights: Float32Array[], biases: Float32Array[]): (x: Float32Array, rows: number) => void {
  const widest = Math.max(...SIZES);
  const bufs = [new Float32Array(4096 * widest), new Float32Array(4096 * widest)];
  return (x, rows) => {
    let input = x;
    for (let l = 0; l < weights.length; l++) {
      const y = bufs[l & 1];
      ikjDense(input, rows, SIZES[l], weights[l], biases[l], SIZES[l + 1], y);
      if (l + 1 < weights.length) relu(y, rows * SIZES[l + 1]);
      input = y;
    }
  };
}

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

/**
 * Median over `reps` of calls per CPU-second (this process's user + system time, so time the
 * scheduler gives to other processes on a shared machine does not count); each repetition calls
 * `run` until `minSeconds` of CPU time pass.
 */
function medianCallsPerSecond(run: () => void, reps: number, minSeconds: number): number {
  for (let i = 0; i < 20; i++) run(); // warm-up: JIT for the TS path, kernel set-up for tfjs
  const rates: number[] = [];
  for (let r = 0; r < reps; r++) {
    let calls = 0;
    const start = process.cpuUsage();
    let elapsed = 0;
    do {
      run();
      calls++;
      const used = process.cpuUsage(start);
      elapsed = (used.user + used.system) / 1e6;
    } while (elapsed < minSeconds);
    rates.push(calls / elapsed);
  }
  rates.sort((a, b) => a - b);
  const mid = rates.length >> 1;
  return rates.length % 2 === 1 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
}

async function main(): Promise<void> {
  const reps = Number(flag('reps', '7'));
  const minSeconds = Number(flag('min-seconds', '0.3'));
  await initBackend({ backend: flag('backend', 'wasm') as BackendChoice });
  const net = new QNetwork(SIZES, npRandom(0).rng);
  const policy = decodePolicy(qNetworkPolicyWeights(net));
  const { rng } = npRandom(1);
  const obs = Float32Array.from({ length: 4 * BATCHES[BATCHES.length - 1] }, () => rng.uniform(-2, 2));
  const actions = new Int32Array(BATCHES[BATCHES.length - 1]);
  console.log(`MLP ${SIZES.join('→')}, tfjs backend ${describeBackend()}, node ${process.version}, median of ${reps} × ≥${minSeconds}s`);
  const bare = bareIkjForward(net.weights.map((w) => w.dataSync() as Float32Array), net.biases.map((b) => b.dataSync() as Float32Array));
  console.log('| batch | Policy.act rows/CPU-s | tfjs QNetwork.qValues rows/CPU-s | Policy / tfjs | bare i-k-j loop rows/CPU-s |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const batch of BATCHES) {
    const view = obs.subarray(0, batch * 4);
    const ts = medianCallsPerSecond(() => policy.act(view, batch, actions), reps, minSeconds) * batch;
    const tfjs = medianCallsPerSecond(() => net.qValues(view, batch), reps, minSeconds) * batch;
    const ikj = medianCallsPerSecond(() => bare(view, batch), reps, minSeconds) * batch;
    console.log(`| ${batch} | ${fmt(ts)} | ${fmt(tfjs)} | ${(ts / tfjs).toFixed(1)}x | ${fmt(ikj)} |`);
  }
  net.dispose();
}

function fmt(rowsPerSecond: number): string {
  return rowsPerSecond >= 1e6 ? `${(rowsPerSecond / 1e6).toFixed(2)} M` : `${(rowsPerSecond / 1e3).toFixed(1)} k`;
}

await main();
