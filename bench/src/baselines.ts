/**
 * Bare baselines: the same work written as a flat loop with no framework around it, measured in the
 * same process so a ratio (framework / bare) says what the abstraction costs.
 */

/** CartPole's Euler step on struct-of-arrays float64 state, with float32 observation writes and resets on failure. */
export function bareCartPole(n: number): (steps: number, actions: Uint8Array) => void {
  const x = new Float64Array(n);
  const xDot = new Float64Array(n);
  const theta = new Float64Array(n);
  const thetaDot = new Float64Array(n);
  const obs = new Float32Array(n * 4);
  const gravity = 9.8, massPole = 0.1, totalMass = 1.1, length = 0.5, poleMassLength = 0.05, forceMag = 10, tau = 0.02;
  const thetaLimit = (12 * 2 * Math.PI) / 360;
  let seed = 12345;
  const reseed = (i: number) => {
    // A tiny LCG stands in for the reset draws: resets are rare next to steps.
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    x[i] = (seed / 4294967296 - 0.5) * 0.1;
    xDot[i] = 0;
    theta[i] = (seed / 4294967296 - 0.5) * 0.1;
    thetaDot[i] = 0;
  };
  for (let i = 0; i < n; i++) reseed(i);
  return (steps, actions) => {
    for (let s = 0; s < steps; s++) {
      for (let i = 0; i < n; i++) {
        const force = actions[(s * n + i) & (actions.length - 1)] === 1 ? forceMag : -forceMag;
        const cos = Math.cos(theta[i]);
        const sin = Math.sin(theta[i]);
        const temp = (force + poleMassLength * thetaDot[i] * thetaDot[i] * sin) / totalMass;
        const thetaAcc = (gravity * sin - cos * temp) / (length * (4 / 3 - (massPole * cos * cos) / totalMass));
        const xAcc = temp - (poleMassLength * thetaAcc * cos) / totalMass;
        x[i] += tau * xDot[i];
        xDot[i] += tau * xAcc;
        theta[i] += tau * thetaDot[i];
        thetaDot[i] += tau * thetaAcc;
        if (x[i] < -2.4 || x[i] > 2.4 || theta[i] < -thetaLimit || theta[i] > thetaLimit) reseed(i);
        const o = i * 4;
        obs[o] = x[i];
        obs[o + 1] = xDot[i];
        obs[o + 2] = theta[i];
        obs[o + 3] = thetaDot[i];
      }
    }
  };
}

/** One-step tabular Q-learning backups on random (s, a) pairs of a fixed random model, with Math.random. */
export function bareQPlanning(nS: number, nA: number): (updates: number) => void {
  const q = new Float64Array(nS * nA);
  const next = new Int32Array(nS * nA);
  const reward = new Float64Array(nS * nA);
  for (let k = 0; k < nS * nA; k++) {
    next[k] = Math.floor(Math.random() * nS);
    reward[k] = -1;
  }
  return (updates) => {
    for (let u = 0; u < updates; u++) {
      const k = Math.floor(Math.random() * nS * nA);
      const base = next[k] * nA;
      let best = q[base];
      for (let a = 1; a < nA; a++) if (q[base + a] > best) best = q[base + a];
      q[k] += 0.1 * (reward[k] + 0.95 * best - q[k]);
    }
  };
}
