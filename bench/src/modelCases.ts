/**
 * The neural hot paths on TensorFlow.js, each beside a bare baseline run in the same process: world-model
 * training (samples/s at batch 256, hidden 200) against a plain tfjs MLP training loop of the same shape,
 * and CEM decisions/s with a learned ensemble (horizon 30, 500 candidates) against the ensemble's own
 * batched forward passes alone (the same rows, no planner around them).
 */
import { TransitionReplay } from '@reverie/core';
import { make } from '@reverie/envs';
import { DeterministicWorldModel, ProbabilisticEnsemble, trainWorldModel, WorldModelDynamics, type WorldModel } from '@reverie/models';
import { tf } from '@reverie/nn';
import { CEM } from '@reverie/planning';
import { measure, type Measurement } from './measure.js';

export interface ModelBenchSettings {
  reps: number;
  minSeconds: number;
  hidden: number;
  batchSize: number;
  members: number;
}

/** `n` CartPole-v1 transitions of a uniformly random policy (episode k resets with seed k). */
export function randomCartPole(n: number): TransitionReplay {
  const env = make('CartPole-v1');
  const replay = new TransitionReplay({ capacity: n, obsSize: 4, actionSize: 1 });
  env.actionSpace.seed(0);
  let episode = 0;
  let obs = Float32Array.from(env.reset({ seed: 0 }).observation as Float32Array);
  for (let i = 0; i < n; i++) {
    const action = env.actionSpace.sample() as number;
    const r = env.step(action);
    const next = r.observation as Float32Array;
    replay.add(obs, action, r.reward, next, r.terminated, r.truncated);
    obs = r.terminated || r.truncated ? Float32Array.from(env.reset({ seed: ++episode }).observation as Float32Array) : Float32Array.from(next);
  }
  return replay;
}

function newModel(kind: 'deterministic' | 'ensemble', s: ModelBenchSettings): WorldModel {
  const options = { stateSize: 4, action: { type: 'discrete' as const, n: 2 }, hidden: s.hidden, seed: 0 };
  return kind === 'ensemble' ? new ProbabilisticEnsemble({ ...options, members: s.members }) : new DeterministicWorldModel(options);
}

/** Rows trained per second by `trainWorldModel` (an ensemble step trains every member on its own batch). */
export async function worldModelTraining(kind: 'deterministic' | 'ensemble', replay: TransitionReplay, s: ModelBenchSettings): Promise<Measurement> {
  const model = newModel(kind, s);
  // Long enough per call that staging the replay and fitting the normalisers (once per call) hardly count.
  const steps = 100;
  const rowsPerStep = s.batchSize * (kind === 'ensemble' ? s.members : 1);
  // No held-out split and no early stop: every timed step is a training step.
  const train = () => trainWorldModel(model, replay, { steps, batchSize: s.batchSize, heldOutFraction: 0, logEvery: steps, patience: steps });
  try {
    return await measureAsync(`world model ${kind} training (rows/s)`, steps * rowsPerStep, train, s);
  } finally {
    model.dispose();
  }
}

/**
 * The baseline: the straightforward tfjs loop a user would write, `members` MLPs of the same shape
 * (5 → hidden → hidden → outputs, ReLU, Adam, MSE) as plain 2-D `matMul`s under `optimizer.minimize`
 * with tfjs's own gradients, trained on fixed tensors (no data pipeline at all).
 */
export async function bareMlpTraining(members: number, s: ModelBenchSettings): Promise<Measurement> {
  const sizes = [5, s.hidden, s.hidden, members > 1 ? 11 : 6];
  const nets = Array.from({ length: members }, (_, e) => ({
    weights: sizes.slice(1).map((out, l) => tf.variable(tf.randomNormal([sizes[l], out], 0, 0.05, 'float32', 10 * e + l))),
    biases: sizes.slice(1).map((out) => tf.variable(tf.zeros([out]))),
    x: tf.randomNormal([s.batchSize, sizes[0]], 0, 1, 'float32', 100 + e),
    y: tf.randomNormal([s.batchSize, sizes[sizes.length - 1]], 0, 1, 'float32', 200 + e),
  }));
  const optimizer = tf.train.adam(1e-3);
  const forward = (net: (typeof nets)[number]): tf.Tensor2D => {
    let h = net.x as tf.Tensor2D;
    for (let l = 0; l < net.weights.length; l++) {
      h = tf.add(tf.matMul(h, net.weights[l] as tf.Tensor2D), net.biases[l]);
      if (l < net.weights.length - 1) h = tf.relu(h);
    }
    return h;
  };
  const loss = (): tf.Scalar => tf.addN(nets.map((net) => tf.mean(tf.square(tf.sub(forward(net), net.y))))) as tf.Scalar;
  const step = () => tf.tidy(() => {
    optimizer.minimize(loss);
  });
  const steps = 20;
  try {
    return measure(`bare tfjs MLP training, ${members} net${members > 1 ? 's' : ''} (rows/s)`, steps * s.batchSize * members, () => {
      for (let i = 0; i < steps; i++) step();
      // Wait for the backend to finish, as trainWorldModel's loss readback does.
      tf.tidy(() => nets[0].biases[0].sum()).dataSync();
    }, s.reps, s.minSeconds);
  } finally {
    for (const net of nets) tf.dispose([...net.weights, ...net.biases, net.x, net.y]);
    optimizer.dispose();
  }
}

export interface CemSettings {
  horizon: number;
  population: number;
  elites: number;
  iterations: number;
}

/** A trained ensemble for the planning cases: 2,000 steps would be realistic, 100 is enough to time it. */
export async function trainedEnsemble(replay: TransitionReplay, s: ModelBenchSettings): Promise<ProbabilisticEnsemble> {
  const model = newModel('ensemble', s) as ProbabilisticEnsemble;
  await trainWorldModel(model, replay, { steps: 100, batchSize: s.batchSize });
  return model;
}

/** CEM decisions per second with the ensemble as its model, one particle per candidate spread over the elites. */
export function cemDecisions(model: ProbabilisticEnsemble, c: CemSettings, s: ModelBenchSettings): Measurement {
  const dynamics = new WorldModelDynamics(model, { n: 2 }); // CartPole's Discrete(2)
  const cem = new CEM(dynamics, { ...c, particles: 1, termination: 'soft', seed: 1 });
  const state = Float32Array.from([0.01, -0.02, 0.03, 0.01]);
  const name = `CEM, ensemble ${model.members}×${s.hidden}, H${c.horizon} pop ${c.population} it ${c.iterations} (decisions/s)`;
  return measure(name, 1, () => {
    cem.act(state);
  }, s.reps, s.minSeconds);
}

/** The same forward passes with nothing around them: horizon × iterations batched predictions per decision. */
export function ensembleForwardOnly(model: ProbabilisticEnsemble, c: CemSettings, s: ModelBenchSettings): Measurement {
  const rows = c.population;
  const states = new Float32Array(rows * 4).map((_, i) => 0.01 * ((i % 7) - 3));
  const actions = new Float32Array(rows).map((_, i) => i & 1);
  const members = Int32Array.from({ length: rows }, (_, i) => model.elites[i % model.elites.length]);
  const out = { nextStates: new Float32Array(rows * 4), rewards: new Float32Array(rows), terminatedProb: new Float32Array(rows) };
  const calls = c.horizon * c.iterations;
  return measure(`  its ensemble forward passes alone (decisions/s)`, 1, () => {
    for (let k = 0; k < calls; k++) model.predictInto(states, actions, rows, out, { members });
  }, s.reps, s.minSeconds);
}

/** `measure` for an async body: one warm-up, then `reps` timed windows of at least `minSeconds`. */
async function measureAsync(name: string, batch: number, run: () => Promise<unknown>, s: ModelBenchSettings): Promise<Measurement> {
  await run();
  const samples: number[] = [];
  for (let r = 0; r < s.reps; r++) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      await run();
      ops += batch;
      elapsed = (performance.now() - start) / 1000;
    } while (elapsed < s.minSeconds);
    samples.push(ops / elapsed);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { name, opsPerSecond: sorted[sorted.length >> 1], samples };
}
