/**
 * `reverie scale`: a scaling experiment. Sweeps actors × envs per actor with the distributed stack on
 * this machine (or, with --cluster, on Kubernetes), measures each point from the services' metrics and
 * writes CSV, JSON and plots, with a cluster model fitted to the measurements.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { registeredIds } from '@reverie/envs';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import type { CliIO } from '../io.js';
import { intListOption, intOption, numberOption, OptionError, parseOptions } from '../options.js';
import { defaultK8sDir } from '../scale/cluster.js';
import { DEFAULT_ASSUMPTIONS } from '../scale/model.js';
import { runScale, type ScaleConfig, type ScaleDeps } from '../scale/run.js';
import { defaultServicesDir, STACK_ALGOS } from '../stack/services.js';
import { signalStopControl } from './stack.js';

const dir = (what: string) => z.string().trim().min(1, { error: `must be ${what}` });

export const scaleSchema = z.object({
  actors: intListOption(1),
  envs: intListOption(1),
  seconds: numberOption(0, 86_400, true).optional(),
  warmup: numberOption(0, 86_400).optional(),
  env: z.string().trim().refine((id) => registeredIds().includes(id), { error: `must be a registered env id: ${registeredIds().join(', ')}` }),
  algo: z.enum(STACK_ALGOS, { error: `must be one of ${STACK_ALGOS.join(', ')}` }),
  workersPerActor: intOption(1).optional(),
  seed: intOption(0).optional(),
  out: dir('a directory path'),
  readyTimeoutMs: intOption(100).optional(),
  stopTimeoutMs: intOption(100).optional(),
  servicesDir: dir('a directory path').optional(),
  dataDir: dir('a directory path').optional(),
  cluster: z.boolean().optional(),
  kubectl: dir('a program name or path').optional(),
  kustomize: dir('a program name or path').optional(),
  k8sDir: dir('a directory path').optional(),
  prometheus: z.string().trim().regex(/^https?:\/\/\S+$/, { error: 'must be an http(s) URL such as http://127.0.0.1:9090' }).optional(),
  modelActorCores: numberOption(0, 1024, true),
  modelLearnerCores: z.union([z.literal('measured'), numberOption(0, 1024, true)], { error: "must be 'measured' or a number in (0, 1024]" }),
  modelNetworkGbps: numberOption(0, 1e5, true),
});

type ScaleOptions = z.output<typeof scaleSchema>;

const LOCAL_ONLY = ['workersPerActor', 'seed', 'servicesDir', 'dataDir', 'stopTimeoutMs'] as const;
const CLUSTER_ONLY = ['kubectl', 'kustomize', 'k8sDir', 'prometheus'] as const;

/** Prometheus scrapes the cluster every 5 s; a window needs several scrapes for increase() to mean much. */
export const MIN_CLUSTER_SECONDS = 20;

function existingDir(flag: string, path: string): string {
  const full = resolve(path);
  if (!existsSync(full)) throw new OptionError(`option ${flag}: no such folder ${JSON.stringify(full)}`);
  return full;
}

/** Options that belong to the other mode are refused rather than silently ignored. */
function checkMode(o: ScaleOptions): void {
  const flag = (k: string): string => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const wrong = o.cluster === true ? LOCAL_ONLY.filter((k) => o[k] !== undefined) : CLUSTER_ONLY.filter((k) => o[k] !== undefined);
  if (wrong.length > 0) throw new OptionError(`option ${flag(wrong[0])} ${o.cluster === true ? 'is for local sweeps; it does not go with --cluster' : 'needs --cluster'}`);
  if (o.cluster === true && o.seconds !== undefined && o.seconds < MIN_CLUSTER_SECONDS) {
    throw new OptionError(`option --seconds must be at least ${MIN_CLUSTER_SECONDS} with --cluster (Prometheus scrapes every 5 s) (got ${JSON.stringify(String(o.seconds))})`);
  }
}

export function parseScaleOptions(raw: Record<string, unknown>): ScaleConfig {
  const o = parseOptions(scaleSchema, raw);
  checkMode(o);
  const cluster = o.cluster === true;
  return {
    mode: cluster ? 'cluster' : 'local',
    actors: o.actors,
    envs: o.envs,
    seconds: o.seconds ?? (cluster ? 60 : 10),
    warmupSeconds: o.warmup ?? (cluster ? 30 : 5),
    env: o.env,
    algo: o.algo,
    workersPerActor: o.workersPerActor ?? 1,
    seed: o.seed ?? 0,
    out: o.out,
    readyTimeoutMs: o.readyTimeoutMs ?? (cluster ? 600_000 : 60_000),
    stopTimeoutMs: o.stopTimeoutMs ?? 10_000,
    servicesDir: existingDir('--services-dir', o.servicesDir ?? defaultServicesDir()),
    dataDir: o.dataDir === undefined ? null : resolve(o.dataDir),
    cluster: {
      kubectl: o.kubectl ?? 'kubectl',
      kustomize: o.kustomize ?? null,
      k8sDir: existingDir('--k8s-dir', o.k8sDir ?? defaultK8sDir()),
      prometheusUrl: o.prometheus ?? null,
      readyTimeoutSeconds: Math.ceil((o.readyTimeoutMs ?? 600_000) / 1000),
      tailSeconds: 10,
      pollMs: 2000,
    },
    assumptions: { actorCores: o.modelActorCores, learnerCores: o.modelLearnerCores === 'measured' ? null : o.modelLearnerCores, networkGbps: o.modelNetworkGbps },
  };
}

/** Exit status when a point failed (what ran before it is still written). */
export const EXIT_SCALE_FAILED = 1;

const DESCRIPTION =
  'Sweeps actors × envs per actor. Locally (the default) each point starts the stack as processes on this machine ' +
  '(nats-server from PATH, model-server, learner, N actors: what `reverie stack up` runs), waits --warmup seconds, ' +
  "reads every process's /metrics at the start and the end of a --seconds window, and stops the stack. With --cluster " +
  "each point renders deploy/k8s's scale manifests (the stack, Prometheus and a Job of N actor pods), applies them " +
  'with kubectl, waits for the pods, and reads the window from Prometheus. Writes OUT/scale.csv, OUT/report.json ' +
  '(every figure, the machine, and a cluster throughput model fitted to the measurements with its assumptions) and ' +
  'plots (PNG + SVG): throughput, efficiency, updates, policy-lag, broadcast, model. Progress goes to stderr, the ' +
  'tables to stdout. A point that fails stops the sweep (its processes or Job are stopped first) and exits 1.';

function addOptions(cmd: Command): Command {
  const a = DEFAULT_ASSUMPTIONS;
  return cmd
    .option('--actors <list>', 'comma-separated actor counts, one point each', '1,2,4')
    .option('--envs <list>', 'comma-separated envs per actor, one point each with every actor count', '16,64')
    .option('--seconds <s>', `measurement window per point (default: 10; with --cluster 60, at least ${MIN_CLUSTER_SECONDS})`)
    .option('--warmup <s>', 'seconds from "every actor is up" to the start of the window (default: 5; with --cluster 30)')
    .option('--env <id>', 'environment the learner trains and the actors step (on a cluster: the one its manifests run)', 'CartPole-v1')
    .option('--algo <name>', `learner algorithm: ${STACK_ALGOS.join(', ')}`, 'dqn')
    .option('--workers-per-actor <n>', 'local: worker threads per actor (at most its envs) (default: 1, as the cluster Job)')
    .option('--seed <n>', 'local: learner seed; actor k explores with seed + 1000·k (default: 0)')
    .option('--out <dir>', 'output directory (per-point process logs in OUT/logs/<point>/)', 'results/scale')
    .option('--ready-timeout-ms <n>', 'per process to print READY (default: 60000); with --cluster, for the stack and the Job\'s pods to be ready (default: 600000)')
    .option('--stop-timeout-ms <n>', 'local: per stage to stop after SIGTERM before SIGKILL (default: 10000)')
    .option('--services-dir <dir>', "local: folder holding <service>/dist/main.js (default: this repository's services/)")
    .option('--data-dir <dir>', "local: where each point's weights, checkpoints and NATS store go, removed after the point (default: a temporary folder)")
    .option('--cluster', 'run the points on the Kubernetes cluster kubectl points at (namespace reverie; see deploy/README.md, section 6)')
    .option('--kubectl <path>', 'cluster: kubectl to use (default: kubectl)')
    .option('--kustomize <path>', "cluster: render with this standalone kustomize (`kustomize build`) instead of kubectl's")
    .option('--k8s-dir <dir>', "cluster: the deploy/k8s folder (default: this repository's)")
    .option('--prometheus <url>', 'cluster: Prometheus base URL (default: a kubectl port-forward to svc/prometheus)')
    .option('--model-actor-cores <n>', 'model: CPUs per actor pod', String(a.actorCores))
    .option('--model-learner-cores <n|measured>', "model: cores the learner's ingest and training share ('measured': the most it used at any point)", a.learnerCores === null ? 'measured' : String(a.learnerCores))
    .option('--model-network-gbps <x>', 'model: link speed into the learner, Gbit/s', String(a.networkGbps));
}

/** `reverie scale`; `deps` replaces the cluster mode's kubectl and Prometheus (tests). */
export function scaleCommand(io: CliIO, deps: ScaleDeps = {}): Command {
  return addOptions(new Command('scale').summary('scaling experiment: throughput, learner and policy lag vs actors').description(DESCRIPTION)).action(
    async (raw: Record<string, unknown>) => {
      const config = parseScaleOptions(raw);
      const control = signalStopControl();
      try {
        const report = await runScale(config, io, control.signal, (kill) => control.onForce(kill), deps);
        if (report.failure !== null) {
          io.stderr(`reverie scale: ${report.failure.message}\n`);
          throw new CommanderError(EXIT_SCALE_FAILED, 'reverie.scale', report.failure.message);
        }
      } finally {
        control.dispose();
      }
    },
  );
}
