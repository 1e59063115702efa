/**
 * y[rows, nOut] = x[rows, nIn] · W[nIn, nOut] + b, with W row-major as the learner stores it. The loop
 * order i-k-j keeps the innermost loop on contiguous memory (a row of W and a row of y), which is what
 * makes a plain-JS matmul fast; zero inputs (ReLU's) skip their whole row of W.
 */
export function denseRows(
  x: Float32Array,
  rows: number,
  nIn: number,
  w: Float32Array,
  b: Float32Array,
  nOut: number,
  y: Float32Array,
): void {
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

export function reluInPlace(y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) if (y[i] < 0) y[i] = 0;
}

export function tanhInPlace(y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] = Math.tanh(y[i]);
}
