import { npRandom, TransitionReplay } from '@reverie/core';
import { initBackend } from '@reverie/nn';

/** Tests run on the fastest built-in backend; native backends are not installed here. */
export async function testBackend(): Promise<void> {
  await initBackend({ backend: 'wasm' });
}

/** s' = A s + B a, reward = c·s, on 3 states and 1 Box action; terminated when |s0| > 0.9. */
export const A = [
  [0.9, 0.1, 0],
  [-0.2, 0.8, 0.3],
  [0.05, 0, 0.95],
];
export const B = [0.5, -0.3, 0.2];
export const C = [1, -0.5, 0.25];

export function linearStep(s: ArrayLike<number>, a: number, out: Float32Array): number {
  for (let i = 0; i < 3; i++) out[i] = A[i][0] * s[0] + A[i][1] * s[1] + A[i][2] * s[2] + B[i] * a;
  return C[0] * s[0] + C[1] * s[1] + C[2] * s[2];
}

/** n transitions from states and actions uniform in [-1, 1] (scaled by `scale`). */
export function linearReplay(n: number, seed: number, scale = 1): TransitionReplay {
  const rng = npRandom(seed).rng;
  const replay = new TransitionReplay({ capacity: n, obsSize: 3, actionSize: 1 });
  const s = new Float32Array(3);
  const next = new Float32Array(3);
  const a = new Float32Array(1);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) s[k] = scale * rng.uniform(-1, 1);
    a[0] = rng.uniform(-1, 1);
    const r = linearStep(s, a[0], next);
    replay.add(s, a, r, next, Math.abs(s[0]) > 0.9 * scale, false);
  }
  return replay;
}

/** s' = s + shift[a] for a Discrete(3) action on 2 states, reward = a. */
export function discreteReplay(n: number, seed: number): TransitionReplay {
  const rng = npRandom(seed).rng;
  const replay = new TransitionReplay({ capacity: n, obsSize: 2, actionSize: 1 });
  const shifts = [[0.1, 0], [0, 0.1], [-0.1, -0.1]];
  for (let i = 0; i < n; i++) {
    const s = Float32Array.of(rng.uniform(-1, 1), rng.uniform(-1, 1));
    const a = rng.integers(0, 3);
    replay.add(s, a, a, Float32Array.of(s[0] + shifts[a][0], s[1] + shifts[a][1]), false, false);
  }
  return replay;
}
