/**
 * A cluster point: renders deploy/k8s's scale manifests for ACTORS × ENVS_PER_ACTOR (as
 * deploy/k8s/scale/render-point.sh does), applies them, waits for the stack and for every actor pod of
 * the Job to be ready, lets it warm up, reads the window from Prometheus, and deletes the Job.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { WindowIncrease } from './metrics.js';
import { pointResult, ScalePointError, type PointResult, type ScalePoint } from './point.js';

/** The Job the scale component defines (deploy/k8s/components/scale/job.yaml). */
export const SCALE_JOB = 'actor-scale';

/** The namespace deploy/k8s/scale renders into, its Secrets are created in, and its NetworkPolicies assume. */
export const SCALE_NAMESPACE = 'reverie';

/** Secrets the rendered manifests refer to (deploy/README.md, section 2). */
export const REQUIRED_SECRETS = ['reverie-auth', 'reverie-nats', 'reverie-grafana'] as const;

/** What a point needs running before its actors mean anything, in start order. */
export const STACK_WORKLOADS = ['statefulset/nats', 'deployment/model-server', 'statefulset/learner', 'deployment/prometheus'] as const;

export interface ClusterSettings {
  /** The repository's deploy/k8s folder. */
  k8sDir: string;
  namespace: string;
  kubectl: string;
  /** A standalone kustomize (`kustomize build`) instead of `kubectl kustomize`; null: kubectl's. */
  kustomize: string | null;
  warmupSeconds: number;
  seconds: number;
  /** How long the stack's workloads and the Job's pods may take to become ready. */
  readyTimeoutSeconds: number;
  /** Seconds to wait after the window before asking Prometheus, so it has scraped past the window's end. */
  tailSeconds: number;
  /** How often to ask whether the Job's pods are ready. */
  pollMs: number;
}

/** The repository's deploy/k8s (this file is packages/cli/{src,dist}/scale/cluster.{ts,js}). */
export function defaultK8sDir(): string {
  return fileURLToPath(new URL('../../../../deploy/k8s/', import.meta.url));
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Runs a program (no shell) with optional stdin; rejects when it exits non-zero, with its stderr. */
export type CommandRunner = (command: string, args: readonly string[], input?: string) => Promise<CommandResult>;

export const runCommand: CommandRunner = (command, args, input) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new Error(`cannot run ${command}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} exited with code ${code}: ${stderr.trim()}`));
    });
    // A program that exits without reading its stdin makes the write fail with EPIPE; its exit code tells.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });

/**
 * How long the Job's actors may run: long enough to outlast the wait for readiness, the warm-up, the
 * window and the tail. The Job is deleted once the window is read, so this is only a safety stop.
 */
export function jobDurationSeconds(s: Pick<ClusterSettings, 'warmupSeconds' | 'seconds' | 'tailSeconds' | 'readyTimeoutSeconds'>): number {
  return Math.ceil(s.readyTimeoutSeconds + s.warmupSeconds + s.seconds + s.tailSeconds + 60);
}

/**
 * The kustomization of one point, for a folder at `from` (kustomize wants paths relative to it): the
 * namespace, the base stack, monitoring, the scale component and its three parameters.
 */
export function pointKustomization(point: ScalePoint, s: Pick<ClusterSettings, 'k8sDir' | 'namespace'> & { durationSeconds: number }, from: string): Record<string, string> {
  const rel = relative(from, s.k8sDir).split('\\').join('/');
  const kustomization = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    `namespace: ${s.namespace}`,
    'resources:',
    `  - ${rel}/namespace`,
    `  - ${rel}/base`,
    '  - scale-params.yaml',
    'components:',
    `  - ${rel}/components/monitoring`,
    `  - ${rel}/components/scale`,
    '',
  ];
  // A listed resource, not a generated one: the scale component's replacement has to see it.
  const params = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: scale-params',
    'data:',
    `  ACTORS: "${point.actors}"`,
    `  ENVS_PER_ACTOR: "${point.envsPerActor}"`,
    `  DURATION_SECONDS: "${s.durationSeconds}"`,
    '',
  ];
  return { 'kustomization.yaml': kustomization.join('\n'), 'scale-params.yaml': params.join('\n') };
}

/** The point's manifests, rendered from a throwaway kustomization by kubectl's kustomize or a standalone one. */
export async function renderPoint(point: ScalePoint, s: ClusterSettings, run: CommandRunner = runCommand): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'reverie-scale-point-'));
  try {
    const files = pointKustomization(point, { ...s, durationSeconds: jobDurationSeconds(s) }, work);
    for (const [name, text] of Object.entries(files)) await writeFile(join(work, name), text);
    const flags = ['--load-restrictor', 'LoadRestrictionsNone', work];
    const out = s.kustomize === null ? await run(s.kubectl, ['kustomize', ...flags]) : await run(s.kustomize, ['build', ...flags]);
    return out.stdout;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Checks once, before the first point, what would otherwise fail late and obscurely: the Secrets the
 * manifests refer to, and an autoscaled actor Deployment whose pods would be counted with the Job's.
 */
export async function clusterPreflight(s: ClusterSettings, run: CommandRunner): Promise<void> {
  try {
    await run(s.kubectl, ['-n', s.namespace, 'get', 'secret', ...REQUIRED_SECRETS, '-o', 'name']);
  } catch (e) {
    const message = (e as Error).message;
    // kubectl repeats itself on stderr; its last line says what went wrong.
    const last = message.trim().split('\n').pop() ?? message;
    if (!/NotFound|not found/.test(message)) throw new Error(`kubectl cannot reach the cluster (${s.kubectl} -n ${s.namespace} get secret): ${last}`);
    throw new Error(`the Secrets ${REQUIRED_SECRETS.join(', ')} must exist in namespace ${s.namespace} (create them as deploy/README.md, section 2, shows): ${last}`);
  }
  const actor = await run(s.kubectl, ['-n', s.namespace, 'get', 'deployment/actor', '--ignore-not-found', '-o', 'name']);
  if (actor.stdout.trim() !== '') {
    throw new Error(`namespace ${s.namespace} runs the autoscaled actor Deployment, whose pods would be measured with the Job's; delete it first: ${s.kubectl} -n ${s.namespace} delete deployment/actor hpa/actor`);
  }
}

function deleteJob(s: ClusterSettings, run: CommandRunner): Promise<CommandResult> {
  // Foreground: the pods are gone before the next point's Job starts.
  return run(s.kubectl, ['-n', s.namespace, 'delete', `job/${SCALE_JOB}`, '--ignore-not-found', '--cascade=foreground', '--wait=true']);
}

/** Applies the point (after removing a Job left by an earlier run) and waits for the stack around it. */
async function applyPoint(manifests: string, s: ClusterSettings, run: CommandRunner): Promise<void> {
  await deleteJob(s, run);
  await run(s.kubectl, ['apply', '-f', '-'], manifests);
  for (const w of STACK_WORKLOADS) await run(s.kubectl, ['-n', s.namespace, 'rollout', 'status', w, `--timeout=${s.readyTimeoutSeconds}s`]);
}

/** Polls the Job's `status.ready` until all `actors` pods are ready. */
async function waitJobReady(point: ScalePoint, s: ClusterSettings, run: CommandRunner, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + s.readyTimeoutSeconds * 1000;
  for (;;) {
    const out = await run(s.kubectl, ['-n', s.namespace, 'get', `job/${SCALE_JOB}`, '-o', 'jsonpath={.status.ready}']);
    const ready = Number(out.stdout.trim() || '0');
    if (ready >= point.actors) return;
    if (Date.now() > deadline) {
      throw new Error(`job/${SCALE_JOB}: ${ready} of ${point.actors} actor pods ready after ${s.readyTimeoutSeconds} s (see: ${s.kubectl} -n ${s.namespace} describe job/${SCALE_JOB})`);
    }
    await delay(s.pollMs, undefined, { signal });
  }
}

export interface ClusterDeps {
  run: CommandRunner;
  /** Reads the window that ends at `endSeconds` (Unix time) and lasts `seconds`, from Prometheus. */
  readWindow(endSeconds: number, seconds: number): Promise<WindowIncrease>;
}

/** Applies the point, waits, lets it run through warm-up and window, and reads the window. */
async function measurePoint(point: ScalePoint, manifests: string, s: ClusterSettings, deps: ClusterDeps, signal: AbortSignal): Promise<PointResult> {
  await applyPoint(manifests, s, deps.run);
  await waitJobReady(point, s, deps.run, signal);
  await delay((s.warmupSeconds + s.seconds) * 1000, undefined, { signal });
  const windowEnd = Date.now() / 1000;
  await delay(s.tailSeconds * 1000, undefined, { signal });
  const window = await deps.readWindow(windowEnd, s.seconds);
  if (window.actorSteps.length < point.actors) {
    throw new Error(`Prometheus has env-step counts of ${window.actorSteps.length} of the ${point.actors} actor pods for the window`);
  }
  return pointResult(point, window, { loadAverage1m: null, notes: [] });
}

/** Runs one point on the cluster; the Job is deleted (its pods gone) before this returns or throws. */
export async function runClusterPoint(point: ScalePoint, s: ClusterSettings, deps: ClusterDeps, signal: AbortSignal): Promise<PointResult> {
  let manifests: string;
  try {
    manifests = await renderPoint(point, s, deps.run);
  } catch (e) {
    throw new ScalePointError(point, `rendering the manifests failed: ${(e as Error).message}`);
  }
  let failure: string | null = null;
  let result: PointResult | null = null;
  try {
    result = await measurePoint(point, manifests, s, deps, signal);
  } catch (e) {
    failure = (e as Error).message;
  }
  try {
    await deleteJob(s, deps.run);
  } catch (e) {
    failure = `${failure === null ? '' : `${failure}\n`}deleting job/${SCALE_JOB} failed: ${(e as Error).message}`;
  }
  if (failure !== null || result === null) throw new ScalePointError(point, failure ?? 'no result');
  return result;
}
